package org.vfzone.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.brocade.BrocadeFosRestDriver;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.fabric.cisco.CiscoMdsNxapiDriver;

/**
 * Both drivers read the ports' congestion and error counters and place each login on its port: Brocade in JSON and in
 * the XML of older releases, MDS in both forms of {@code show interface counters detailed}.
 */
class PortHealthTest {

    static final String HOST = "2f:00:00:25:b5:00:00:01";
    static final String OTHER = "2f:00:00:25:b5:00:00:02";
    static final String TARGET = "52:4a:93:7a:1b:2c:00:00";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v9.2.0", "v8.2.1a"})
    void aBrocadeSaysWhichPortEachDeviceIsOnAndEachPortsCounters(String firmware) {
        try (BrocadeFosEmulator fos = new BrocadeFosEmulator("admin", "pw", 10)) {
            fos.firmwareVersion(firmware);
            fos.login(10, HOST, "2f:00:00:25:b5:00:10:01", "0x010200", 12, "web01", "FCP-Initiator");
            fos.login(10, OTHER, "2f:00:00:25:b5:00:10:02", "0x010201", 12, "web02", "FCP-Initiator");
            fos.login(10, TARGET, "52:4a:93:7a:1b:2c:00:01", "0x010500", 5, "array", "FCP-Target");
            fos.port(10, 12).slowDrain(300, 0.2, 40).traffic(5_000_000, 1_000_000).crc(3);
            fos.port(10, 7).online(false);

            PortHealthReading reading = new BrocadeFosRestDriver(new FabricEndpoint(FabricVendor.BROCADE_FOS_REST,
                    fos.baseUrl(), "admin", "pw", 10, Duration.ofSeconds(5), false)).readPortHealth();

            assertThat(reading.available()).isTrue();
            assertThat(reading.logins()).containsExactlyInAnyOrder(
                    new PortHealthReading.PortLogin("0/12", HOST, "0x010200"),
                    new PortHealthReading.PortLogin("0/12", OTHER, "0x010201"),
                    new PortHealthReading.PortLogin("0/5", TARGET, "0x010500"));
            PortHealthReading.PortCounters p12 = port(reading, "0/12");
            assertThat(p12.online()).isTrue();
            assertThat(p12.creditZero()).isEqualTo(60_000L);
            assertThat(p12.txWaitTicks()).as("FOS has no TxWait").isNull();
            assertThat(p12.discards()).isEqualTo(40L);
            assertThat(p12.timeouts()).isEqualTo(40L);
            assertThat(p12.linkErrors()).isEqualTo(3L);
            assertThat(p12.txBytes()).isEqualTo(5_000_000L);
            assertThat(p12.rxBytes()).isEqualTo(1_000_000L);
            assertThat(port(reading, "0/7").online()).isFalse();
            assertThat(port(reading, "0/5").discards()).isZero();
            assertThat(fos.openSessions()).isZero();

            // the switch's own view of a device: FOS 9.0 keeps congestion states and FPINs sent; SDDQ at any release
            fos.deviceCongestion(10, HOST, 4, "credit-stalled");
            fos.quarantine(10, HOST, true);
            List<PortHealthReading.DeviceState> devices = new BrocadeFosRestDriver(new FabricEndpoint(
                    FabricVendor.BROCADE_FOS_REST, fos.baseUrl(), "admin", "pw", 10, Duration.ofSeconds(5), false))
                    .readPortHealth().devices();
            if (firmware.startsWith("v9")) {
                assertThat(devices).contains(new PortHealthReading.DeviceState(HOST, List.of("credit-stalled"), true,
                        4L, 0L, 0L, 0L), new PortHealthReading.DeviceState(OTHER, List.of(), false, 0L, 0L, 0L, 0L));
            } else {
                assertThat(devices).containsExactly(new PortHealthReading.DeviceState(HOST, List.of(), true, null,
                        null, null, null));
            }
        }
    }

    @ParameterizedTest(name = "counters before NX-OS 8.4(2): {0}")
    @ValueSource(booleans = {false, true})
    void anMdsSaysWhichPortEachDeviceIsOnInEitherCounterForm(boolean flat) {
        try (CiscoMdsEmulator mds = new CiscoMdsEmulator("admin", "pw", 20, 30)) {
            mds.countersBefore842(flat);
            mds.login(20, HOST, "2f:00:00:25:b5:00:10:01", "0x650001", "fc1/3", "web01", "scsi-fcp:init");
            mds.login(20, TARGET, "52:4a:93:7a:1b:2c:00:01", "0x650100", "fc1/9", "array", "scsi-fcp:target");
            mds.login(30, OTHER, "2f:00:00:25:b5:00:10:02", "0x660001", "fc1/4", "other vsan", "scsi-fcp:init");
            mds.port("fc1/3").slowDrain(300, 0.5, 12).traffic(9_000_000, 2_000_000).crc(1);
            mds.port("fc1/4").slowDrain(300, 0.9, 99);

            PortHealthReading reading = new CiscoMdsNxapiDriver(new FabricEndpoint(FabricVendor.CISCO_MDS_NXAPI,
                    mds.baseUrl(), "admin", "pw", 20, Duration.ofSeconds(5), false)).readPortHealth();

            assertThat(reading.logins()).containsExactlyInAnyOrder(
                    new PortHealthReading.PortLogin("fc1/3", HOST, "0x650001"),
                    new PortHealthReading.PortLogin("fc1/9", TARGET, "0x650100"));
            assertThat(reading.ports()).extracting(PortHealthReading.PortCounters::port)
                    .as("a port of another VSAN is not this fabric's").containsExactlyInAnyOrder("fc1/3", "fc1/9");
            PortHealthReading.PortCounters p3 = port(reading, "fc1/3");
            assertThat(p3.txWaitTicks()).isEqualTo(60_000_000L); // 150 s of waiting in 2.5 µs ticks
            assertThat(p3.creditZero()).isEqualTo(150_000L);
            assertThat(p3.discards()).isEqualTo(12L);
            assertThat(p3.linkErrors()).isEqualTo(1L);
            assertThat(p3.txBytes()).isEqualTo(9_000_000L);
            assertThat(p3.rxBytes()).isEqualTo(2_000_000L);
            assertThat(p3.timeouts()).isNull();
        }
    }

    static PortHealthReading.PortCounters port(PortHealthReading reading, String name) {
        return reading.ports().stream().filter(p -> p.port().equals(name)).findFirst().orElseThrow();
    }
}
