package org.vfzone.connection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.springframework.stereotype.Service;
import org.vfzone.fabric.FabricDriver;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.PinnedCertificate;
import org.vfzone.fabric.SwitchIdentity;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.security.FabricAccess;
import org.vfzone.security.Role;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.Words;

/**
 * Tests a fabric's connection step by step, as an admin would by hand: reach the address, check TLS and the pin,
 * sign in, read the firmware version, find the virtual fabric or VSAN, read the zoning. One line per step with what
 * failed and why; the password is never part of any line. Nothing is written to the switch.
 */
@Service
public class ConnectionTest {

    public enum Outcome { OK, WARNING, FAILED, SKIPPED }

    public record Step(String step, Outcome outcome, String detail) {
    }

    public record Result(boolean ok, List<Step> steps) {
    }

    /** Settings as typed in the fabric form; a blank password with a fabric id means the stored one. */
    public record Settings(String vendor, String managementUrl, String managementUsername, String managementPassword,
                           Integer virtualFabricId, String tlsCertificateSha256) {
        @Override
        public String toString() {
            return "Settings[" + vendor + ", " + managementUrl + ", " + managementUsername + ", password hidden]";
        }
    }

    private final FabricService fabrics;
    private final FabricConnections connections;
    private final FabricConnector connector;
    private final FabricAccess access;
    private final Duration timeout;

    ConnectionTest(FabricService fabrics, FabricConnections connections, FabricConnector connector,
                   FabricAccess access,
                   ConnectionProperties properties) {
        this.fabrics = fabrics;
        this.connections = connections;
        this.connector = connector;
        this.access = access;
        this.timeout = properties.requestTimeout();
    }

    /** Tests the fabric as saved. */
    public Result test(long fabricId) {
        Fabric fabric = fabrics.get(fabricId);
        access.require(Role.OPERATOR, fabricId, fabric.getName(), "test the connection of");
        if (!connector.reachesASwitch(fabric.getVendor())) {
            return run(fabric.getVendor(), null, null, null, fabric.getVirtualFabricId(), null);
        }
        var stored = connections.endpoint(fabricId);
        if (stored.isEmpty()) {
            return new Result(false, List.of(new Step("settings", Outcome.FAILED, "The fabric has no management URL, "
                    + "user and password yet")));
        }
        return run(fabric.getVendor(), stored.get().managementUrl(), stored.get().managementUsername(),
                stored.get().password(), fabric.getVirtualFabricId(), stored.get().tlsCertificateSha256());
    }

    /**
     * Tests settings before they are saved. With {@code fabricId} and no password typed, the stored password is used
     * only for the address it was stored for: it is never sent to a new one.
     */
    public Result test(Settings settings, Long fabricId) {
        FabricVendor vendor = FabricVendor.fromCode(settings.vendor() == null ? "" : settings.vendor())
                .orElseThrow(() -> RuleViolation.invalid("vendor", "must be one of simulated, brocade-fos-rest, "
                        + "cisco-mds-nxapi"));
        if (fabricId != null) {
            Fabric fabric = fabrics.get(fabricId);
            access.require(Role.OPERATOR, fabricId, fabric.getName(), "test the connection of");
        } else if (!access.holdsAnywhere(Role.OPERATOR)) {
            throw RuleViolation.forbidden(null, "Testing a fabric connection needs the OPERATOR role");
        }
        String password = settings.managementPassword();
        if ((password == null || password.isEmpty()) && fabricId != null) {
            var stored = connections.endpoint(fabricId);
            if (stored.isPresent() && stored.get().managementUrl().equals(settings.managementUrl())) {
                password = stored.get().password();
            }
        }
        if (connector.reachesASwitch(vendor)) {
            if (settings.managementUrl() == null || !settings.managementUrl().matches("^https?://\\S+$")) {
                throw RuleViolation.invalid("managementUrl", "must be an http:// or https:// URL");
            }
            if (settings.managementUsername() == null || settings.managementUsername().isBlank()) {
                throw RuleViolation.invalid("managementUsername", "give the user vfzone signs in as");
            }
            if (password == null || password.isEmpty()) {
                throw RuleViolation.invalid("managementPassword", fabricId == null ? "give the password"
                        : "type the password: the stored one is not sent to a new address");
            }
        }
        String pin = settings.tlsCertificateSha256() == null || settings.tlsCertificateSha256().isBlank() ? null
                : PinnedCertificate.normalize(settings.tlsCertificateSha256());
        if (settings.tlsCertificateSha256() != null && !settings.tlsCertificateSha256().isBlank() && pin == null) {
            throw RuleViolation.invalid("tlsCertificateSha256", "must be a SHA-256 fingerprint: 64 hex digits");
        }
        return run(vendor, settings.managementUrl(), settings.managementUsername(), password,
                settings.virtualFabricId(), pin);
    }

    private Result run(FabricVendor vendor, String url, String username, String password, Integer partition,
                       String pin) {
        List<Step> steps = new ArrayList<>();
        if (!connector.reachesASwitch(vendor)) {
            steps.add(new Step("switch", Outcome.OK, "Simulated fabric: zoning is kept in vfzone's memory, no switch "
                    + "is reached"));
            return new Result(true, steps);
        }
        URI uri = URI.create(url);
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1000, timeout.toMillis()));
        // 1. the address
        try (Socket socket = new Socket()) {
            InetAddress address = InetAddress.getByName(uri.getHost());
            socket.connect(new InetSocketAddress(address, port), millis);
            steps.add(new Step("reach the address", Outcome.OK, "Connected to " + uri.getHost() + " ("
                    + address.getHostAddress() + ") port " + port));
        } catch (IOException e) {
            steps.add(new Step("reach the address", Outcome.FAILED, "Cannot connect to " + uri.getHost() + " port "
                    + port + ": " + describe(e)));
            return finish(steps, "TLS and pin", "sign in", "virtual fabric or VSAN", "read the zoning");
        }
        // 2. TLS and the pin
        if (!https) {
            steps.add(new Step("TLS and pin", Outcome.WARNING, "Plain HTTP: the password and the zoning cross the "
                    + "network unencrypted; use https:// where the switch offers it"));
        } else {
            Step tls = tls(uri.getHost(), port, millis, pin);
            steps.add(tls);
            if (tls.outcome() == Outcome.FAILED) {
                return finish(steps, "sign in", "virtual fabric or VSAN", "read the zoning");
            }
        }
        // 3. sign in, firmware, partition
        FabricDriver driver = connector.driver(new FabricEndpoint(vendor, uri, username, password, partition, timeout,
                false, pin));
        SwitchIdentity identity;
        try {
            identity = driver.identify();
            steps.add(new Step("sign in", Outcome.OK, "Signed in as " + username + "; firmware "
                    + (identity.firmware() == null ? "not reported" : identity.firmware())
                    + (identity.protocol() == null ? "" : "; " + identity.protocol())));
        } catch (FabricException | RuleViolation e) {
            steps.add(new Step("sign in", Outcome.FAILED, e.getMessage()));
            return finish(steps, "virtual fabric or VSAN", "read the zoning");
        }
        if (!identity.partitionFound()) {
            steps.add(new Step("virtual fabric or VSAN", Outcome.FAILED, "No " + identity.partition() + " on this "
                    + "switch" + (identity.detail() == null ? "" : ": " + identity.detail())));
            return finish(steps, "read the zoning");
        }
        steps.add(new Step("virtual fabric or VSAN", Outcome.OK, "Found " + identity.partition()
                + (identity.detail() == null ? "" : " (" + identity.detail() + ")")));
        // 4. the zoning
        try {
            ZoningDatabase zoning = driver.read();
            steps.add(new Step("read the zoning", Outcome.OK, Words.of(zoning.zones().size(), "zone",
                    "zones") + ", " + Words.of(zoning.aliases().size(), "alias", "aliases") + ", "
                    + (zoning.activeConfig() == null
                    ? "no configuration active" : "active configuration " + zoning.activeConfig())));
        } catch (FabricException | RuleViolation e) {
            steps.add(new Step("read the zoning", Outcome.FAILED, e.getMessage()));
        }
        return new Result(steps.stream().noneMatch(s -> s.outcome() == Outcome.FAILED), steps);
    }

    private static Result finish(List<Step> steps, String... skipped) {
        for (String step : skipped) {
            steps.add(new Step(step, Outcome.SKIPPED, "not tried: an earlier step failed"));
        }
        return new Result(false, steps);
    }

    /** One handshake to read the certificate whatever it is, then the verdict: the pin, or the JVM's trusted CAs. */
    private static Step tls(String host, int port, int millis, String pin) {
        X509Certificate[][] seen = new X509Certificate[1][];
        String protocol;
        try {
            SSLContext capture = SSLContext.getInstance("TLS");
            capture.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    throw new UnsupportedOperationException("client certificates are not checked here");
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    seen[0] = chain; // only read: the verdict below decides
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            protocol = handshake(capture, host, port, millis, false);
        } catch (IOException | GeneralSecurityException e) {
            return new Step("TLS and pin", Outcome.FAILED, "No TLS handshake with " + host + ": " + describe(e));
        }
        if (seen[0] == null || seen[0].length == 0) {
            return new Step("TLS and pin", Outcome.FAILED, "The switch sent no certificate");
        }
        X509Certificate leaf = seen[0][0];
        String fingerprint;
        try {
            fingerprint = PinnedCertificate.fingerprint(leaf);
        } catch (GeneralSecurityException e) {
            return new Step("TLS and pin", Outcome.FAILED, "Unreadable certificate: " + e.getMessage());
        }
        String about = protocol + ", certificate " + leaf.getSubjectX500Principal().getName() + ", valid until "
                + leaf.getNotAfter().toInstant() + ", SHA-256 " + colons(fingerprint);
        if (pin != null) {
            return pin.equals(fingerprint) ? new Step("TLS and pin", Outcome.OK, about + ": matches the pin")
                    : new Step("TLS and pin", Outcome.FAILED, about + ": does NOT match the pinned " + colons(pin)
                    + "; the switch's certificate changed, or this is not the switch");
        }
        try {
            SSLContext verify = SSLContext.getInstance("TLS");
            verify.init(null, null, null);
            handshake(verify, host, port, millis, true);
            return new Step("TLS and pin", Outcome.OK, about + ": trusted by the JVM's certificate authorities");
        } catch (IOException | GeneralSecurityException e) {
            return new Step("TLS and pin", Outcome.FAILED, about + ": not trusted (" + describe(e) + "); pin this "
                    + "fingerprint after checking it on the switch, or install a certificate the JVM trusts");
        }
    }

    private static String handshake(SSLContext context, String host, int port, int millis, boolean checkHostName)
            throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
                if (checkHostName) {
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    socket.setSSLParameters(parameters);
                }
                socket.startHandshake();
                return socket.getSession().getProtocol();
            }
        }
    }

    private static String colons(String hex) {
        return hex.replaceAll("(..)(?!$)", "$1:");
    }

    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("[\\r\\n]+", " ");
    }
}
