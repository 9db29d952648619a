package org.vfzone.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningChange;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.brocade.BrocadeFosRestDriver;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricForm;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.search.GlobalSearch;
import org.vfzone.wwn.Wwn;
import org.vfzone.zoning.ChangeSet;
import org.vfzone.zoning.ChangeSetPush;
import org.vfzone.zoning.ChangeSetService;
import org.vfzone.zoning.LiveZoning;
import org.vfzone.zoning.VmBulkActions;

/**
 * The admin's views at scale: 10,000 VMs, and on the emulated Brocade fabric vfzone's 9,000 zones plus 11,000
 * foreign ones (20,000 zones). Times the live zoning page (server side, switch read kept), a WWN's zones across the
 * fabrics, and a bulk plan of 1,000 VMs. Not part of the test suite:
 * {@code mvn -Pbench verify -pl app -am -Dtest=AdminAtScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Writes {@code app/target/benchmark-admin.md}.
 */
@Tag("benchmark")
class AdminAtScaleBenchmark extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    FabricService fabrics;
    @Autowired
    ChangeSetService changeSets;
    @Autowired
    ChangeSetPush pushes;
    @Autowired
    LiveZoning live;
    @Autowired
    VmBulkActions bulk;
    @Autowired
    GlobalSearch search;

    @Autowired
    MockMvc mvc;

    @Test
    void liveZoningWwnZonesAndABulkPlanOnTwentyThousandZones() throws Exception {
        BenchEstate.seedOnce(jdbc, transaction);
        transaction.executeWithoutResult(status -> BenchEstate.grantEveryVmAnArray(jdbc));
        StringBuilder report = new StringBuilder("| Measure | samples | p50 ms | p95 ms | target |\n|---|---|---|---|---|\n");
        try (BrocadeFosEmulator brocade = new BrocadeFosEmulator("admin", "bench-password", 10)) {
            Fabric a = fabrics.list().stream().filter(f -> f.getName().equals("BENCH-A")).findFirst().orElseThrow();
            fabrics.update(a.getId(), new FabricForm("BENCH-A", "A", FabricVendor.BROCADE_FOS_REST.code(), 10,
                    brocade.baseUrl().toString(), "admin", "", ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET,
                    "vfz_{vm}_{array}", "vfz_cfg", "bench-password"));
            ChangeSet planned = changeSets.plan(a.getId(), "bench").orElseThrow();
            changeSets.approve(planned.getId(), "bench-approver");
            pushes.startPush(planned.getId(), "bench");
            ChangeSet pushed = pushes.push(planned.getId(), "bench");
            BrocadeFosRestDriver driver = new BrocadeFosRestDriver(new FabricEndpoint(FabricVendor.BROCADE_FOS_REST,
                    brocade.baseUrl(), "admin", "bench-password", 10, Duration.ofSeconds(60), false));
            ZoningDatabase now = driver.read();
            List<Zone> foreign = new ArrayList<>();
            for (int i = 0; i < 11_000; i++) {
                foreign.add(Zone.of("legacy_" + i, List.of(String.format("10:00:00:90:fa:%02x:%02x:%02x", i >> 16,
                        (i >> 8) & 0xff, i & 0xff), "52:4a:93:7a:1b:2c:00:00")));
            }
            driver.push(new ZoningChange(now.activeConfig(), now.stateToken(), List.of(), List.of(), foreign, List.of(),
                    List.of()));
            live.refresh(a.getId());
            long zones = live.view(a.getId(), "", 0, 50).totalZones();
            report.insert(0, "Fabric BENCH-A: " + zones + " zones (" + pushed.getStatus() + " push of vfzone's), "
                    + "10,000 VMs.\n\n");

            Random random = new Random(42);
            long[] page = new long[60];
            for (int i = 0; i < page.length; i++) {
                long start = System.nanoTime();
                live.view(a.getId(), i % 3 == 0 ? String.format("bench-vm-%05d", 1 + random.nextInt(10_000)) : "",
                        random.nextInt(400), 50);
                page[i] = System.nanoTime() - start;
            }
            report.append(row("live zoning page (50 zones, every third a search)", page, 300));

            List<String> wwpns = jdbc.queryForList("select active_wwpn::text from vm_fabric_identity i join fabric f"
                    + " on f.id = i.fabric_id where f.name = 'BENCH-A' order by i.id limit 60", String.class);
            live.zonesWith(Wwn.parse(wwpns.get(0))); // reads the other fabrics once, as a user's first look would
            long[] wwn = new long[wwpns.size()];
            for (int i = 0; i < wwn.length; i++) {
                long start = System.nanoTime();
                live.zonesWith(Wwn.parse(wwpns.get(i)));
                wwn[i] = System.nanoTime() - start;
            }
            report.append(row("WWN → zones on every fabric", wwn, 50));

            long[] found = new long[60];
            for (int i = 0; i < found.length; i++) {
                String query = i % 2 == 0 ? String.format("bench-vm-%05d", 1 + random.nextInt(10_000))
                        : wwpns.get(i).replace(":", "").toUpperCase();
                long start = System.nanoTime();
                if (search.search(query).isEmpty()) {
                    throw new IllegalStateException("nothing found for " + query);
                }
                found[i] = System.nanoTime() - start;
            }
            report.append(row("global search (a VM name, or a WWPN in bare hex)", found, 100));

            String[][] lists = {{"/api/vms", "name"}, {"/api/vms", "host"}, {"/api/vms", "cluster"},
                    {"/api/vms", "wwnn"}, {"/api/hosts", "name"}, {"/api/hosts", "hypervisor"},
                    {"/api/arrays", "ports"}, {"/api/changes", "fabric"}, {"/api/audit", "actor"}};
            long[] listed = new long[lists.length * 2 * 8];
            int sample = 0;
            for (int round = 0; round < 8; round++) {
                for (String[] list : lists) {
                    for (String direction : new String[] {"asc", "desc"}) {
                        long start = System.nanoTime();
                        mvc.perform(MockMvcRequestBuilders.get(list[0])
                                        .param("sort", list[1] + "," + direction).param("size", "50")
                                        .param("page", Integer.toString(random.nextInt(200)))
                                        .with(org.springframework.security.test.web.servlet.request
                                                .SecurityMockMvcRequestPostProcessors.user("bench").roles("VIEWER")))
                                .andExpect(MockMvcResultMatchers.status()
                                        .isOk());
                        listed[sample++] = System.nanoTime() - start;
                    }
                }
            }
            report.append(row("a list sorted on any column (VMs, hosts, arrays, change sets, audit; a random page "
                    + "of 50)", listed, 150));

            transaction.executeWithoutResult(status -> jdbc.update(
                    "delete from storage_access where vm_id in (select id from vm where name like 'bench-vm-%')"
                            + " and vm_id in (select id from vm where name like 'bench-vm-%' order by id limit 1000)"));
            Set<Long> thousand = new LinkedHashSet<>(jdbc.queryForList(
                    "select id from vm where name like 'bench-vm-%' and wwnn is not null order by id limit 1000",
                    Long.class));
            long[] plan = new long[3];
            for (int i = 0; i < plan.length; i++) {
                live.refresh(a.getId());
                long start = System.nanoTime();
                List<VmBulkActions.Outcome> outcomes = bulk.apply(VmBulkActions.Action.PLAN, thousand, null, null,
                        "bench");
                plan[i] = System.nanoTime() - start;
                if (outcomes.stream().noneMatch(VmBulkActions.Outcome::ok)) {
                    throw new IllegalStateException("the bulk plan planned nothing: " + outcomes);
                }
            }
            report.append(row("bulk plan of 1,000 VMs (both fabrics, reading the switch)", plan, 3000));
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-admin.md"), report.toString());
    }

    private static String row(String what, long[] nanos, long targetMs) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double p50 = sorted[sorted.length / 2] / 1e6;
        double p95 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.95) - 1)] / 1e6;
        return String.format("| %s | %d | %.1f | %.1f | ≤ %d |%n", what, nanos.length, p50, p95, targetMs);
    }
}
