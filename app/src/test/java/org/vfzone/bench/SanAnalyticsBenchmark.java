package org.vfzone.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.sun.management.OperatingSystemMXBean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.analytics.SanAnalyticsPoller;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricForm;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.ZoningPolicy;

/**
 * One SAN Analytics poll of 20,000 initiator–target flows (10,000 initiators of the bench estate, two targets each)
 * from an emulated MDS switch over NX-API: read, resolved through the name server, stored as per-initiator counters
 * and per-flow rates. A first poll (every initiator new to the switch as a source), then three measured polls with
 * a minute of IO in between. Not part of the test suite: {@code mvn -Pbench verify -pl app -am
 * -Dtest=SanAnalyticsBenchmark}. Writes {@code app/target/benchmark-san-analytics.md}.
 */
@Tag("benchmark")
class SanAnalyticsBenchmark extends IntegrationTest {

    static final int VSAN = 20;
    static final int INITIATORS = 10_000;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    FabricService fabrics;
    @Autowired
    SanAnalyticsPoller poller;

    @Test
    void pollTwentyThousandFlows() throws Exception {
        BenchEstate.seedOnce(jdbc, transaction);
        Fabric fabricB = fabrics.list().stream().filter(f -> f.getName().equals("BENCH-B")).findFirst().orElseThrow();
        List<String> initiators = jdbc.queryForList("""
                (select active_wwpn from vm_fabric_identity where fabric_id = ? order by id)
                union all
                (select standby_wwpn from vm_fabric_identity where fabric_id = ? order by id limit ?)
                """, String.class, fabricB.getId(), fabricB.getId(), INITIATORS);
        initiators = initiators.subList(0, INITIATORS);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        StringBuilder report = new StringBuilder("| Poll | flows | initiators stored | wall ms | process CPU ms |\n"
                + "|---|---|---|---|---|\n");
        try (CiscoMdsEmulator mds = new CiscoMdsEmulator("admin", "bench-password", VSAN)) {
            fabrics.update(fabricB.getId(), new FabricForm("BENCH-B", "B", FabricVendor.CISCO_MDS_NXAPI.code(), VSAN,
                    mds.baseUrl().toString(), "admin", "", ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET,
                    "vfz_{vm}_{array}", "vfz_cfg", "bench-password"));
            mds.login(VSAN, "52:4a:93:7a:1b:2c:b0:01", null, "0x0b0001", "fc1/47", "array ct0", "scsi-fcp:target");
            mds.login(VSAN, "52:4a:93:7a:1b:2c:b0:02", null, "0x0b0002", "fc1/48", "array ct1", "scsi-fcp:target");
            for (int i = 0; i < initiators.size(); i++) {
                mds.login(VSAN, initiators.get(i), null, fcid(i), "fc1/" + (1 + i % 46), null, "scsi-fcp:init");
            }
            mds.analytics(true);
            for (int round = 0; round < 4; round++) {
                aMinuteOfIo(mds, initiators.size(), round);
                long cpu = os.getProcessCpuTime();
                long start = System.nanoTime();
                SanAnalyticsPoller.Result result = poller.poll(fabricB.getId());
                long wallMs = (System.nanoTime() - start) / 1_000_000;
                long cpuMs = (os.getProcessCpuTime() - cpu) / 1_000_000;
                if (!"OK".equals(result.status())) {
                    throw new AssertionError("poll failed: " + result);
                }
                report.append(String.format("| %s | %d | %d | %d | %d |%n",
                        round == 0 ? "first (every initiator new to the switch as a source)" : "run " + round,
                        result.flows(), result.stored(), wallMs, cpuMs));
            }
        }
        report.append("\nProcess CPU includes the emulated switch, which runs in the same JVM.\n");
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-san-analytics.md"), report.toString());
    }

    private static String fcid(int i) {
        return String.format("0x%06x", 0x0a0000 + i + 1);
    }

    private static void aMinuteOfIo(CiscoMdsEmulator mds, int initiators, int round) {
        for (int i = 0; i < initiators; i++) {
            long reads = 3000 + (i * 7L + round) % 500;
            mds.flowTraffic(VSAN, "fc1/" + (1 + i % 46), fcid(i), "0x0b0001", reads, reads / 2, reads * 65_536,
                    reads * 16_384);
            mds.flowTraffic(VSAN, "fc1/" + (1 + i % 46), fcid(i), "0x0b0002", reads / 3, reads / 4, reads * 8_192,
                    reads * 4_096);
        }
    }
}
