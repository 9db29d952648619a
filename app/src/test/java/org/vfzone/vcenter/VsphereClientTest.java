package org.vfzone.vcenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vfzone.vsphere.emulator.VcenterEmulator;

/** The SOAP client against the emulated vCenter: sessions, counters by name, paging, samples, faults. */
class VsphereClientTest {

    static final String PASSWORD = "p<&>'\"]]>\n$(x) -- *";
    static final List<String> COUNTERS = List.of("virtualDisk.read.average", "virtualDisk.write.average",
            "virtualDisk.numberReadAveraged.average", "virtualDisk.numberWriteAveraged.average");

    VcenterEmulator vcenter;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() {
        vcenter = new VcenterEmulator("svc-vfzone@vsphere.local", PASSWORD);
    }

    @AfterEach
    void stop() {
        vcenter.close();
    }

    VsphereClient client(String password) {
        return new VsphereClient(vcenter.sdkUrl(), "svc-vfzone@vsphere.local", password, http, Duration.ofSeconds(30));
    }

    @Test
    void countersAreResolvedByNameAndSamplesSummedOverTheVmsDisks() {
        String vm = vcenter.addVm("web01 <prod> & \"test\"\nline", "4201aaaa-bbbb-cccc-dddd-eeeeffff0001",
                List.of(0x2f00002500000001L, 0x2f00002500000002L));
        vcenter.diskIo(vm, "scsi0:0", 1000, 200, 50, 10);
        vcenter.diskIo(vm, "scsi0:1", 24, 56, 5, 1);
        try (VsphereClient client = client(PASSWORD)) {
            assertThat(client.open()).startsWith("VMware vCenter Server 8.0.3");
            Map<String, Integer> keys = client.counterKeys(COUNTERS);
            // vCenter's own keys, not an ESXi host's: found by group, name and rollup
            assertThat(keys).containsExactlyInAnyOrderEntriesOf(Map.of("virtualDisk.read.average", 173,
                    "virtualDisk.write.average", 174, "virtualDisk.numberReadAveraged.average", 171,
                    "virtualDisk.numberWriteAveraged.average", 172));
            List<VsphereClient.VmInfo> vms = client.virtualMachines();
            assertThat(vms).containsExactly(new VsphereClient.VmInfo(vm, "web01 <prod> & \"test\"\nline",
                    "4201aaaa-bbbb-cccc-dddd-eeeeffff0001", List.of(0x2f00002500000001L, 0x2f00002500000002L)));
            List<VsphereClient.DiskSample> samples = client.diskSamples(List.of(vm), keys.get(COUNTERS.get(0)),
                    keys.get(COUNTERS.get(1)), keys.get(COUNTERS.get(2)), keys.get(COUNTERS.get(3)), null, 3);
            assertThat(samples).hasSize(3).allSatisfy(s -> {
                assertThat(s.readKBps()).isEqualTo(1024);
                assertThat(s.writeKBps()).isEqualTo(256);
                assertThat(s.readIops()).isEqualTo(55);
                assertThat(s.writeIops()).isEqualTo(11);
                assertThat(s.intervalSeconds()).isEqualTo(20);
                assertThat(s.at().getEpochSecond() % 20).isZero();
            });
            // only the samples after the last one read
            Instant last = samples.get(2).at();
            assertThat(client.diskSamples(List.of(vm), keys.get(COUNTERS.get(0)), keys.get(COUNTERS.get(1)),
                    keys.get(COUNTERS.get(2)), keys.get(COUNTERS.get(3)), last, 3)).isEmpty();
        }
    }

    @Test
    void aLargeInventoryIsReadPageByPageAndQueriedInBatches() {
        List<String> morefs = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            String vm = vcenter.addVm("vm" + i, "uuid-" + i, List.of());
            vcenter.diskIo(vm, "scsi0:0", i, 0, 1, 0);
            morefs.add(vm);
        }
        try (VsphereClient client = client(PASSWORD)) {
            client.open();
            Map<String, Integer> keys = client.counterKeys(COUNTERS);
            assertThat(client.virtualMachines()).extracting(VsphereClient.VmInfo::moref).containsExactlyElementsOf(morefs);
            List<VsphereClient.DiskSample> samples = client.diskSamples(morefs, keys.get(COUNTERS.get(0)),
                    keys.get(COUNTERS.get(1)), keys.get(COUNTERS.get(2)), keys.get(COUNTERS.get(3)), null, 1);
            assertThat(samples).hasSize(1200);
            assertThat(samples.get(1199).readKBps()).isEqualTo(1199);
            assertThat(vcenter.perfQueries()).isEqualTo(5);
        }
    }

    @Test
    void aSessionThatExpiredIsOpenedAgainOnce() {
        vcenter.addVm("vm1", "uuid-1", List.of());
        try (VsphereClient client = client(PASSWORD)) {
            client.open();
            vcenter.expireSessions();
            assertThat(client.virtualMachines()).hasSize(1);
            assertThat(vcenter.logins()).isEqualTo(2);
        }
    }

    @Test
    void aWrongPasswordAndAVcenterThatIsDownAreFaultsThatSayWhat() {
        assertThatThrownBy(() -> client("wrong").open()).isInstanceOfSatisfying(VsphereClient.VsphereFault.class,
                f -> {
                    assertThat(f.type()).isEqualTo("InvalidLogin");
                    assertThat(f.getMessage()).contains("incorrect user name or password");
                });
        vcenter.close();
        assertThatThrownBy(() -> client(PASSWORD).open()).isInstanceOfSatisfying(VsphereClient.VsphereFault.class,
                f -> assertThat(f.type()).isEqualTo("Unreachable"));
    }
}
