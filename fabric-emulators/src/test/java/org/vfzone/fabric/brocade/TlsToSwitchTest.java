package org.vfzone.fabric.brocade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.PinnedCertificate;
import org.vfzone.fabric.PushOutcome;
import org.vfzone.fabric.SelfSignedCertificate;

/** https to a switch with a self-signed certificate: refused unless that very certificate is pinned. */
class TlsToSwitchTest {

    BrocadeFosRestDriver driver(BrocadeFosEmulator emulator, String pin) {
        return new BrocadeFosRestDriver(new FabricEndpoint(FabricVendor.BROCADE_FOS_REST, emulator.baseUrl(), "admin",
                "fos-password", 10, PushOutcome.REQUEST_TIMEOUT, false, pin), 0, Duration.ZERO);
    }

    @Test
    void aSelfSignedSwitchIsRefusedUntilItsCertificateIsPinnedAndAnotherCertificateIsRefusedThen(@TempDir Path dir)
            throws Exception {
        SelfSignedCertificate switchCertificate = SelfSignedCertificate.create(dir, "switch-a");
        SelfSignedCertificate impostor = SelfSignedCertificate.create(dir, "impostor");
        try (BrocadeFosEmulator emulator = new BrocadeFosEmulator(0, switchCertificate.serverContext(), "admin",
                "fos-password", Clock.systemUTC(), 10)) {
            assertThat(emulator.baseUrl().getScheme()).isEqualTo("https");
            assertThatThrownBy(() -> driver(emulator, null).read())
                    .isInstanceOfSatisfying(FabricException.class, e -> {
                        assertThat(e.kind()).isEqualTo(FabricException.Kind.TLS);
                        assertThat(e.getMessage()).contains("certificate is not trusted").contains("pin");
                    });
            String pin = PinnedCertificate.fingerprint(switchCertificate.certificate());
            assertThat(driver(emulator, pin).read().stateToken()).isNotBlank();
            String colons = pin.toUpperCase().replaceAll("(..)(?!$)", "$1:");
            assertThat(driver(emulator, colons).read().stateToken()).isNotBlank();
            assertThatThrownBy(() -> driver(emulator, PinnedCertificate.fingerprint(impostor.certificate())).read())
                    .isInstanceOfSatisfying(FabricException.class,
                            e -> assertThat(e.kind()).isEqualTo(FabricException.Kind.TLS));
            // nothing was sent before the handshake: no login, so no password went to the wrong certificate
            assertThat(emulator.requestLog()).allMatch(line -> !line.isEmpty())
                    .filteredOn(line -> line.startsWith("POST /rest/login")).hasSize(2);
        }
    }

    @Test
    void aClosedPortIsReportedAsUnreachableWithoutSocketDetails() {
        FabricEndpoint closed = new FabricEndpoint(FabricVendor.BROCADE_FOS_REST,
                URI.create("http://127.0.0.1:1"), "admin", "pw", null, PushOutcome.REQUEST_TIMEOUT, false);
        assertThatThrownBy(() -> new BrocadeFosRestDriver(closed, 0, Duration.ZERO).read())
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.UNREACHABLE);
                    assertThat(e.getMessage()).contains("unreachable").doesNotContainIgnoringCase("refused")
                            .doesNotContain("ConnectException");
                    assertThat(String.join("\n", e.log())).doesNotContainIgnoringCase("refused");
                });
    }
}
