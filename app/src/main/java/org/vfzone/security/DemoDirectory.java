package org.vfzone.security;

import java.io.InputStream;
import java.net.InetAddress;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldif.LDIFReader;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * The demo's directory: an in-process LDAP server on loopback, filled from an LDIF file. Its library ships in
 * vfzone-demo.jar and the tests only; vfzone.jar, what a data center runs, signs in against a real directory.
 */
final class DemoDirectory implements AutoCloseable {

    private static final String SERVER_CLASS = "com.unboundid.ldap.listener.InMemoryDirectoryServer";

    private final InMemoryDirectoryServer server;

    private DemoDirectory(InMemoryDirectoryServer server) {
        this.server = server;
    }

    /** Whether this jar carries the demo directory's server. */
    static boolean available() {
        return ClassUtils.isPresent(SERVER_CLASS, DemoDirectory.class.getClassLoader());
    }

    static DemoDirectory start(String ldifLocation, String baseDn) {
        try (InputStream ldif = new DefaultResourceLoader().getResource(ldifLocation).getInputStream()) {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(baseDn);
            config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("demo",
                    InetAddress.getLoopbackAddress(), 0, null));
            InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
            server.importFromLDIF(true, new LDIFReader(ldif));
            server.startListening();
            return new DemoDirectory(server);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the in-process directory from " + ldifLocation, e);
        }
    }

    int port() {
        return server.getListenPort();
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
