package org.vfzone.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricForm;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.HostForm;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.Hypervisor;
import org.vfzone.inventory.StorageArray;
import org.vfzone.inventory.StorageArrayForm;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.TargetPortForm;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.provisioning.Provisioning;
import org.vfzone.zoning.StandardChanges;

/**
 * Provisioning end to end under a standard change, against an emulated Brocade and an emulated MDS fabric: one VM
 * at a time (identity, VFs, grant, a plan per fabric, the pushes), then 100 at once. Run with
 * {@code mvn -Pbench verify -pl app -am -Dtest=ProvisioningBenchmark -Dsurefire.failIfNoSpecifiedTests=false};
 * writes {@code app/target/benchmark-provisioning.md}.
 */
@Tag("benchmark")
@Import(ProvisioningBenchmark.Listening.class)
class ProvisioningBenchmark extends IntegrationTest {

    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    FabricService fabrics;
    @Autowired
    HostService hosts;
    @Autowired
    StorageArrayService arrays;
    @Autowired
    StandardChanges standardChanges;
    @Autowired
    Provisioning provisioning;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void oneVmAtATimeAndAHundredAtOnce() throws Exception {
        try (BrocadeFosEmulator brocade = new BrocadeFosEmulator("admin", "fos-secret-1", 10);
             CiscoMdsEmulator cisco = new CiscoMdsEmulator("admin", "mds-secret-1", 20)) {
            brocade.seedZone(10, "prod_cfg", "manual_zone", List.of("10:00:00:10:9b:ee:ee:01", "50:06:01:60:3b:a0:11:22"));
            cisco.seedZone(20, "zs_prod", "manual_zone", List.of("10:00:00:10:9b:ee:ee:01", "50:06:01:60:3b:a0:11:23"));
            Fabric a = fixtures.brocadeFabric(brocade, 10, "fos-secret-1");
            Fabric b = fixtures.mdsFabric(cisco, 20, "mds-secret-1");
            String cluster = unique("bench-cl");
            for (int i = 0; i < 20; i++) {
                Host host = hosts.create(new HostForm(unique("esx-bench"), cluster, Hypervisor.ESXI));
                fixtures.adapter(host, a, 64, 8);
                fixtures.adapter(host, b, 64, 8);
            }
            StorageArray array = arrays.create(new StorageArrayForm(unique("pure"), "Pure Storage", "", ""));
            arrays.addPort(array.getId(), new TargetPortForm("CT0-FC0", uniqueWwn(), a.getId()));
            arrays.addPort(array.getId(), new TargetPortForm("CT0-FC1", uniqueWwn(), b.getId()));
            long pool = fixtures.pool(4096).getId();
            StandardChanges.Policy policy = standardChanges.propose(new StandardChanges.PolicyForm(unique("bench"),
                    "", Set.of(a.getId(), b.getId()), Set.of(array.getId()), Set.of(cluster), Set.of(), null, true,
                    false, 10, Instant.now().plus(Duration.ofDays(1))), "alice");
            standardChanges.approve(policy.id(), "bob");

            long[] single = new long[20];
            for (int i = 0; i < single.length; i++) {
                long start = System.nanoTime();
                UUID job = provisioning.provision(request("one-" + i + "-" + cluster, cluster, array, pool), "alice").id();
                awaitDone(job);
                single[i] = System.nanoTime() - start;
            }

            long start = System.nanoTime();
            List<UUID> jobs = Collections.synchronizedList(new ArrayList<>());
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String name = "many-" + i + "-" + cluster;
                Thread caller = new Thread(() -> jobs.add(provisioning.provision(
                        request(name, cluster, array, pool), "alice").id()));
                caller.start();
                callers.add(caller);
            }
            for (Thread caller : callers) {
                caller.join();
            }
            for (UUID job : jobs) {
                awaitDone(job);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long distinct = jdbc.queryForObject("""
                    select count(distinct w) from (select active_wwpn w from vm_fabric_identity i join vm v
                    on v.id = i.vm_id where v.name like ? union all select standby_wwpn from vm_fabric_identity i
                    join vm v on v.id = i.vm_id where v.name like ?) x""", Long.class, "many-%-" + cluster,
                    "many-%-" + cluster);

            long[] sorted = single.clone();
            Arrays.sort(sorted);
            String report = String.format("""
                    | Measure | result | target |
                    |---|---|---|
                    | one VM end to end (identity, VFs, grant, plans and verified pushes on two fabrics), p50 | %.0f ms | |
                    | one VM end to end, p95 of %d | %.0f ms | ≤ 2000 ms |
                    | 100 concurrent provisioning calls, all done | %.1f s (%.1f VMs/s) | no duplicate, no deadlock |
                    | distinct WWPNs of those 100 VMs | %d | 400 |
                    """, sorted[sorted.length / 2] / 1e6, sorted.length,
                    sorted[(int) Math.ceil(sorted.length * 0.95) - 1] / 1e6, seconds, 100 / seconds, distinct);
            System.out.println(report);
            Files.writeString(Path.of("target", "benchmark-provisioning.md"), report);
        }
    }

    private static Provisioning.ProvisionRequest request(String name, String cluster, StorageArray array, long pool) {
        return new Provisioning.ProvisionRequest(name, null, null, cluster, Set.of(array.getId()), Set.of(), pool);
    }

    /** Each job's end, as the application announces it (a job may end before the caller starts waiting). */
    @TestConfiguration
    static class Listening {
        @Bean
        ApplicationListener<PayloadApplicationEvent<
                Provisioning.JobSettled>> jobsSettling() {
            return event -> SETTLED.computeIfAbsent(event.getPayload().jobId(),
                    id -> new CompletableFuture<>()).complete(event.getPayload().status());
        }
    }

    static final Map<UUID, CompletableFuture<Provisioning.Status>> SETTLED =
            new ConcurrentHashMap<>();

    private void awaitDone(UUID job) throws Exception {
        Provisioning.Status status = SETTLED.computeIfAbsent(job, id -> new CompletableFuture<>())
                .get(10, TimeUnit.MINUTES);
        if (status != Provisioning.Status.DONE) {
            throw new IllegalStateException("job did not finish: " + provisioning.get(job));
        }
    }
}
