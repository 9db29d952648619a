package org.vfzone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The demo's in-process directory starts from its LDIF where its server ships (vfzone-demo.jar, the tests), and
 * vfzone.jar, which leaves the server out, refuses to start with it in words that say where it is.
 */
class DemoDirectoryTest {

    private static final DirectoryProperties DEMO = new DirectoryProperties(null, null, null, "ou=people",
            "(uid={0})", "ou=groups", "(member={0})", List.of(), Duration.ofSeconds(5),
            "classpath:demo-directory.ldif", "dc=vfzone,dc=demo", "uid");

    @Test
    void startsWhereItsServerShipsAndListensOnLoopback() {
        assertThat(DemoDirectory.available()).as("the tests' class path carries the server").isTrue();
        try (DemoDirectory directory = DirectoryLogin.startEmbedded(DEMO, true)) {
            assertThat(directory.port()).isPositive();
        }
    }

    @Test
    void vfzoneJarWithoutTheServerRefusesAndNamesTheJarThatHasIt() {
        assertThatThrownBy(() -> DirectoryLogin.startEmbedded(DEMO, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("vfzone-demo.jar")
                .hasMessageContaining("vfzone.security.directory.url");
    }
}
