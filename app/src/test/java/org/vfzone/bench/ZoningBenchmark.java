package org.vfzone.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.PushReport;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningChange;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.brocade.BrocadeFosRestDriver;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.fabric.cisco.CiscoMdsNxapiDriver;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricForm;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.zoning.ChangeSet;
import org.vfzone.zoning.ChangeSetService;

/**
 * Planning 10,000 VMs × 2 fabrics, and pushing 1,000 new zones in one vendor transaction, against the switch
 * emulators over HTTP. Not part of the test suite: {@code mvn -Pbench verify -pl app -am}. Writes
 * {@code app/target/benchmark-zoning.md}.
 */
@Tag("benchmark")
class ZoningBenchmark extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    FabricService fabrics;
    @Autowired
    ChangeSetService changeSets;

    @Test
    void planTenThousandVmsAndPushAThousandZones() throws Exception {
        BenchEstate.seedOnce(jdbc, transaction);
        transaction.executeWithoutResult(status -> BenchEstate.grantEveryVmAnArray(jdbc));
        StringBuilder report = new StringBuilder();
        try (BrocadeFosEmulator brocade = new BrocadeFosEmulator("admin", "bench-password", 10);
             CiscoMdsEmulator cisco = new CiscoMdsEmulator("admin", "bench-password", 20)) {
            Fabric a = point("BENCH-A", FabricVendor.BROCADE_FOS_REST, 10, brocade.baseUrl().toString());
            Fabric b = point("BENCH-B", FabricVendor.CISCO_MDS_NXAPI, 20, cisco.baseUrl().toString());

            report.append("| Step | Fabric | zones | ms (median of 5) |\n|---|---|---|---|\n");
            for (Fabric fabric : List.of(a, b)) {
                long[] ms = new long[5];
                ChangeSet last = null;
                for (int run = 0; run < ms.length; run++) {
                    long start = System.nanoTime();
                    last = changeSets.plan(fabric.getId(), "bench").orElseThrow();
                    ms[run] = (System.nanoTime() - start) / 1_000_000;
                }
                Arrays.sort(ms);
                long zones = changeSets.stored(last).plan().desired().size();
                report.append(String.format("| plan (read switch, query grants, compute diff, store change set) | %s "
                        + "(%s) | %d | %d |%n", fabric.getName(), fabric.getVendor().code(), zones, ms[2]));
            }

            report.append("\n| Push of 1,000 new zones in one transaction | HTTP requests | seconds |\n|---|---|---|\n");
            List<Zone> zones = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                zones.add(Zone.of("vfz_bench_" + i, List.of(String.format("2f:01:00:25:b5:00:%02x:%02x", i / 256,
                        i % 256), String.format("2f:02:00:25:b5:00:%02x:%02x", i / 256, i % 256),
                        "52:4a:93:7a:1b:2c:00:00")));
            }
            BrocadeFosRestDriver brocadeDriver = new BrocadeFosRestDriver(new FabricEndpoint(
                    FabricVendor.BROCADE_FOS_REST, brocade.baseUrl(), "admin", "bench-password", 10,
                    Duration.ofSeconds(30), false));
            report.append(push("Brocade FOS REST (emulated)", brocadeDriver.read(), zones,
                    change -> brocadeDriver.push(change)));
            CiscoMdsNxapiDriver ciscoDriver = new CiscoMdsNxapiDriver(new FabricEndpoint(FabricVendor.CISCO_MDS_NXAPI,
                    cisco.baseUrl(), "admin", "bench-password", 20, Duration.ofSeconds(30), false));
            report.append(push("Cisco MDS NX-API (emulated)", ciscoDriver.read(), zones,
                    change -> ciscoDriver.push(change)));
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-zoning.md"), report.toString());
    }

    private String push(String vendor, ZoningDatabase live, List<Zone> zones,
                        Function<ZoningChange, PushReport> push) {
        String config = live.activeConfig() != null ? live.activeConfig() : "vfz_bench_cfg";
        long start = System.nanoTime();
        PushReport result = push.apply(new ZoningChange(config, live.stateToken(), List.of(), List.of(), zones,
                List.of(), List.of()));
        return String.format("| %s | %d | %.2f |%n", vendor, result.httpRequests(), (System.nanoTime() - start) / 1e9);
    }

    private Fabric point(String name, FabricVendor vendor, int id, String url) {
        Fabric fabric = fabrics.list().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
        fabrics.update(fabric.getId(), new FabricForm(name, fabric.getSide(), vendor.code(), id, url, "admin", "",
                ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, "vfz_{vm}_{array}", "vfz_cfg", "bench-password"));
        return fabrics.get(fabric.getId());
    }
}
