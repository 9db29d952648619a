package org.vfzone.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.sun.management.OperatingSystemMXBean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.congestion.CongestionPoller;
import org.vfzone.congestion.CongestionQueries;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricForm;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.security.People;

/**
 * Congestion at the size of a large estate: two fabrics (an emulated Brocade and an emulated MDS), each with 10,000
 * name-server entries on 2,000 ports. One poll of both fabrics at once (read over REST and NX-API, stored, hourly and
 * daily sums and logins kept), three times after a first; then the fabric congestion page's query over 30 days of
 * history (2,000 ports × 720 hours per fabric and their daily sums, 5 % of the ports with symptoms), 30 times. Not part of the test suite:
 * {@code mvn -Pbench verify -pl app -am -Dtest=CongestionBenchmark -Dsurefire.failIfNoSpecifiedTests=false}. Writes
 * {@code app/target/benchmark-congestion.md}.
 */
@Tag("benchmark")
class CongestionBenchmark extends IntegrationTest {

    static final int DEVICES = 10_000;
    static final int PORTS = 2_000;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    FabricService fabrics;
    @Autowired
    CongestionPoller poller;
    @Autowired
    CongestionQueries queries;

    @Test
    void pollTwoLargeFabricsAndReadThirtyDays() throws Exception {
        BenchEstate.seedOnce(jdbc, transaction);
        Fabric fabricA = bench("BENCH-A");
        Fabric fabricB = bench("BENCH-B");
        List<String> wwpnsA = wwpns(fabricA);
        List<String> wwpnsB = wwpns(fabricB);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        StringBuilder report = new StringBuilder("| Poll of both fabrics | wall ms | process CPU ms |\n|---|---|---|\n");
        try (BrocadeFosEmulator fos = new BrocadeFosEmulator("admin", "bench-password", 10);
             CiscoMdsEmulator mds = new CiscoMdsEmulator("admin", "bench-password", 20)) {
            fabrics.update(fabricA.getId(), new FabricForm("BENCH-A", "A", FabricVendor.BROCADE_FOS_REST.code(), 10,
                    fos.baseUrl().toString(), "admin", "", ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET,
                    "vfz_{vm}_{array}", "vfz_cfg", "bench-password"));
            fabrics.update(fabricB.getId(), new FabricForm("BENCH-B", "B", FabricVendor.CISCO_MDS_NXAPI.code(), 20,
                    mds.baseUrl().toString(), "admin", "", ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET,
                    "vfz_{vm}_{array}", "vfz_cfg", "bench-password"));
            for (int i = 0; i < DEVICES; i++) {
                fos.login(10, wwpnsA.get(i), null, String.format("0x%06x", 0x010000 + i), i % PORTS, null,
                        "FCP-Initiator");
                mds.login(20, wwpnsB.get(i), null, String.format("0x%06x", 0x0a0000 + i), "fc" + (1 + i % PORTS / 48)
                        + "/" + (1 + i % PORTS % 48), null, "scsi-fcp:init");
            }
            Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            for (int round = 0; round < 4; round++) {
                for (int port = 0; port < PORTS; port += 20) {
                    fos.port(10, port).slowDrain(300, 0.4, 3).traffic(9_000_000_000L, 3_000_000_000L);
                    mds.port("fc" + (1 + port / 48) + "/" + (1 + port % 48)).slowDrain(300, 0.4, 3);
                }
                Instant at = start.plusSeconds(300L * round);
                long cpu = os.getProcessCpuTime();
                long began = System.nanoTime();
                List<Future<CongestionPoller.Result>> polls = new ArrayList<>();
                for (Fabric fabric : List.of(fabricA, fabricB)) {
                    polls.add(pool.submit(() -> People.runAsSystem(() -> poller.poll(fabric.getId(), at))));
                }
                for (Future<CongestionPoller.Result> poll : polls) {
                    CongestionPoller.Result result = poll.get();
                    if (!"OK".equals(result.status()) || result.logins() != DEVICES || result.ports() < PORTS) {
                        throw new AssertionError("poll failed: " + result);
                    }
                }
                report.append(String.format("| %s | %d | %d |%n", round == 0 ? "first (every login new)"
                        : "run " + round, (System.nanoTime() - began) / 1_000_000,
                        (os.getProcessCpuTime() - cpu) / 1_000_000));
            }
            pool.shutdown();
        }
        report.append("\nProcess CPU includes both emulated switches, which run in the same JVM.\n\n");

        // 30 days of hourly history for every port of both fabrics, 5 % of them with symptoms
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
        for (Fabric fabric : List.of(fabricA, fabricB)) {
            jdbc.update("delete from port_counter_hour where fabric_id = ?", fabric.getId());
            jdbc.update("""
                    insert into port_counter_hour (fabric_id, hour, port, seconds, online, credit_zero, txwait_ticks,
                                                   discards, timeouts, credit_loss, link_errors, tx_bytes, rx_bytes)
                    select ?, h, p.port, 3600, true, case when p.n % 20 = 0 then 1000 else 0 end,
                           case when p.n % 20 = 0 then 200000000 else 1000 end, case when p.n % 20 = 0 then 5 else 0 end,
                           0, 0, 0, 36000000000, 12000000000
                      from generate_series(?::timestamptz - interval '30 days', ?::timestamptz, interval '1 hour') h,
                           (select distinct port, row_number() over (order by port) as n
                              from port_counter_last where fabric_id = ?) p
                    """, fabric.getId(), Timestamp.from(now), Timestamp.from(now), fabric.getId());
            jdbc.update("delete from port_counter_day where fabric_id = ?", fabric.getId());
            jdbc.update("""
                    insert into port_counter_day (fabric_id, day, port, seconds, online, credit_zero, txwait_ticks,
                                                  discards, timeouts, credit_loss, link_errors, tx_bytes, rx_bytes)
                    select fabric_id, date_trunc('day', hour), port, sum(seconds), bool_and(online), sum(credit_zero),
                           sum(txwait_ticks), sum(discards), sum(timeouts), sum(credit_loss), sum(link_errors),
                           sum(tx_bytes), sum(rx_bytes)
                      from port_counter_hour where fabric_id = ? group by fabric_id, date_trunc('day', hour), port
                    """, fabric.getId());
            jdbc.update("update port_login set first_seen = ? where fabric_id = ?",
                    Timestamp.from(now.minus(31, ChronoUnit.DAYS)), fabric.getId());
        }
        jdbc.execute("analyze port_counter_hour");
        jdbc.execute("analyze port_counter_day");
        report.append("| Fabric page, 30 days | p50 ms | p95 ms | ports with symptoms |\n|---|---|---|---|\n");
        for (Fabric fabric : List.of(fabricA, fabricB)) {
            List<Long> millis = new ArrayList<>();
            int ranked = 0;
            for (int i = 0; i < 30; i++) {
                long began = System.nanoTime();
                ranked = People.runAsSystem(() -> queries.fabric(fabric.getId(), now.minus(30, ChronoUnit.DAYS),
                        now.plus(1, ChronoUnit.HOURS))).ports().size();
                millis.add((System.nanoTime() - began) / 1_000_000);
            }
            millis.sort(null);
            report.append(String.format("| %s | %d | %d | %d |%n", fabric.getName(), millis.get(14), millis.get(28),
                    ranked));
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-congestion.md"), report.toString());
    }

    private Fabric bench(String name) {
        return fabrics.list().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
    }

    /** 10,000 WWPNs of the fabric's VMs: every active one, then standby ones. */
    private List<String> wwpns(Fabric fabric) {
        return jdbc.queryForList("""
                (select active_wwpn from vm_fabric_identity where fabric_id = ? order by id)
                union all
                (select standby_wwpn from vm_fabric_identity where fabric_id = ? order by id limit ?)
                """, String.class, fabric.getId(), fabric.getId(), DEVICES).subList(0, DEVICES);
    }
}
