package org.vfzone.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.security.ApiTokenService;
import org.vfzone.traffic.TrafficPartitions;
import org.vfzone.traffic.TrafficQueries;
import org.vfzone.wwn.Wwn;

/**
 * Ingest rows/s through {@code POST /api/traffic/samples} (over HTTP with a collector token, as collectors send)
 * against raw COPY rows/s into the same table; heap used during the ingest; p50/p95 of the 30-day per-VM chart query with 10,000
 * initiators of hourly history. Not part of the suite: {@code mvn -Pbench verify -pl app -am}. Writes
 * {@code app/target/benchmark-traffic.md}.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vfzone.admin-password=integration-admin-secret", "vfzone.data-dir=target/test-data",
        "vfzone.scheduling.enabled=false"})
class TrafficBenchmark extends IntegrationTest {

    static final int INITIATORS = 10_000;
    static final int ROUNDS = 30;
    /**
     * Unmeasured rounds first, on both sides, so both are timed warm, as a server runs: at least the minimum, then
     * until the JIT compiler is quiet (after the application's start it works through its queue for a while, and
     * its CPU would count as the ingest's), at most the maximum.
     */
    static final int MIN_WARMUP_ROUNDS = 40;
    static final int MAX_WARMUP_ROUNDS = 200;
    /** Compile time per round (summed over the compiler's threads) below which the JIT counts as quiet. */
    static final long QUIET_COMPILE_MS = 5;

    @LocalServerPort
    int port;
    @Autowired
    ApiTokenService tokens;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    DataSource dataSource;
    @Autowired
    TrafficPartitions partitions;
    @Autowired
    TrafficQueries queries;

    @Test
    void ingestAgainstRawCopyAndThirtyDayChartLatency() throws Exception {
        List<String> wwpns = BenchEstate.activeWwpns(jdbc, transaction, INITIATORS);
        // live readings, as collectors send them: the rounds' times end a few minutes before now, in hours not yet
        // compacted (a backlog of older hours is also stored whole, its rows checked against the blocks at the end)
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS)
                .minus(Duration.ofSeconds((ROUNDS + MAX_WARMUP_ROUNDS) * 10L)).minus(Duration.ofMinutes(5));
        partitions.ensureDay(LocalDate.ofInstant(base, ZoneOffset.UTC));
        partitions.ensureDay(LocalDate.ofInstant(base.minus(Duration.ofDays(1)), ZoneOffset.UTC));
        partitions.ensureDay(LocalDate.ofInstant(Instant.now(), ZoneOffset.UTC));

        // Raw COPY against the ingest API, round by round in turn, so both meet the same table size, autovacuum and
        // checkpoints. Each round is one snapshot per initiator: for the COPY, the rows as the ingest stores them
        // (counters and derived rates); for the API, NDJSON as a collector sends it, over HTTP with a collector
        // token, rates derived server-side. Both texts are made before their clock starts.
        System.gc();
        HeapSampler sampler = new HeapSampler(50);
        String token = tokens.create(unique("bench-collector"), "COLLECTOR", "bench").token();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Instant copyBase = base.minus(Duration.ofHours(1));
        double[] copyMs = new double[ROUNDS];
        double[] ingestMs = new double[ROUNDS];
        CpuMeter cpu = new CpuMeter();
        long[] copyCpu = new long[2]; // this JVM writing the COPY, PostgreSQL
        long[] ingestCpu = new long[2]; // the server, PostgreSQL
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long compiledBefore = jit.getTotalCompilationTime();
        int quietRounds = 0;
        int warmupRounds = -1; // known once the warm-up ends; the rounds after it are measured
        for (int i = 0; warmupRounds < 0 || i < warmupRounds + ROUNDS; i++) {
            int round = warmupRounds < 0 ? -1 : i - warmupRounds;
            long n = i * 1000L;
            Chunks text = new Chunks();
            // each time formatted once per round, as a collector does per reading
            String copyTs = copyBase.plusSeconds(i * 10L).toString();
            for (String wwpn : wwpns) {
                rawRow(text.line(), Wwn.parse(wwpn).value(), copyTs, n, 600 + i);
            }
            List<byte[]> copyText = text.done();
            cpu.start();
            long start = System.nanoTime();
            rawCopy(dataSource, copyText);
            CpuMeter.Spent copySpent = cpu.stop();
            if (round >= 0) {
                copyMs[round] = (System.nanoTime() - start) / 1e6;
                copyCpu[0] += copySpent.serverNanos();
                copyCpu[1] += copySpent.postgresNanos();
            }

            StringBuilder ndjson = new StringBuilder(wwpns.size() * 300);
            String ts = base.plusSeconds(i * 10L).toString();
            for (String wwpn : wwpns) {
                ndjson.append("{\"wwpn\":\"").append(wwpn).append("\",\"timestamp\":\"").append(ts)
                        .append("\",\"fcp_input_requests\":").append(n).append(",\"fcp_output_requests\":").append(n / 2)
                        .append(",\"tx_frames\":").append(n).append(",\"rx_frames\":").append(n)
                        .append(",\"tx_words\":").append(n * 8).append(",\"rx_words\":").append(n * 8)
                        .append(",\"error_frames\":0,\"seconds_since_last_reset\":").append(600 + i)
                        .append(",\"port_state\":\"Online\"}\n");
            }
            byte[] body = ndjson.toString().getBytes(StandardCharsets.UTF_8);
            cpu.start();
            long clientCpu = CpuMeter.threadNanos();
            start = System.nanoTime();
            int status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/traffic/samples"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            long ingestEnd = System.nanoTime();
            cpu.addClientNanos(CpuMeter.threadNanos() - clientCpu);
            CpuMeter.Spent ingestSpent = cpu.stop();
            if (round >= 0) {
                ingestMs[round] = (ingestEnd - start) / 1e6;
                ingestCpu[0] += ingestSpent.serverNanos();
                ingestCpu[1] += ingestSpent.postgresNanos();
            }
            if (status != 200) {
                throw new IllegalStateException("ingest answered " + status);
            }
            if (warmupRounds < 0) {
                long compiled = jit.getTotalCompilationTime();
                quietRounds = compiled - compiledBefore <= QUIET_COMPILE_MS ? quietRounds + 1 : 0;
                compiledBefore = compiled;
                if (i + 1 >= MAX_WARMUP_ROUNDS || i + 1 >= MIN_WARMUP_ROUNDS && quietRounds >= 3) {
                    warmupRounds = i + 1;
                }
            }
        }
        sampler.close();
        // what this JVM and PostgreSQL spend doing nothing (compiler, collector, timers), for comparison: the
        // pause is the interval measured, not a wait for anything to happen
        cpu.start();
        long idleStart = System.nanoTime();
        Thread.sleep(2_000);
        CpuMeter.Spent idle = cpu.stop();
        double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
        double copyRate = ROUNDS * (double) wwpns.size() / (Arrays.stream(copyMs).sum() / 1e3);
        double ingestRate = ROUNDS * (double) wwpns.size() / (Arrays.stream(ingestMs).sum() / 1e3);
        Arrays.sort(copyMs);
        Arrays.sort(ingestMs);

        // 30 days of hourly rollups for every initiator, then the per-VM 30-day chart
        Instant now = Instant.now();
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        for (YearMonth m = month.minusMonths(2); !m.isAfter(month); m = m.plusMonths(1)) {
            partitions.ensureMonth("traffic_1h", m);
        }
        long fillStart = System.nanoTime();
        jdbc.update("""
                insert into traffic_1h (initiator, bucket, samples, read_iops_avg, read_iops_max, write_iops_avg,
                                        write_iops_max, read_mbps_avg, read_mbps_max, write_mbps_avg, write_mbps_max,
                                        rx_fps_avg, tx_fps_avg, errors)
                select wwn_to_int8(i.active_wwpn), h, 360, 500 + random() * 100, 900, 200, 400, 20, 40, 8, 16, 100, 80, 0
                  from vm_fabric_identity i
                 cross join generate_series(date_trunc('hour', now()) - interval '30 days', date_trunc('hour', now()),
                                            interval '1 hour') h
                 where i.id in (select id from vm_fabric_identity order by id limit ?)
                on conflict do nothing
                """, INITIATORS);
        jdbc.execute("analyze traffic_1h");
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        List<Long> vmIds = jdbc.queryForList("select distinct vm_id from vm_fabric_identity order by vm_id limit 5000",
                Long.class);
        Random random = new Random(7);
        double[] ms = new double[200];
        for (int i = -20; i < ms.length; i++) {
            long vm = vmIds.get(random.nextInt(vmIds.size()));
            long start = System.nanoTime();
            queries.initiatorsOfVm(vm).forEach((fabric, initiators) ->
                    queries.series(initiators, now.minus(Duration.ofDays(30)), now));
            if (i >= 0) {
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(ms);
        Long rollupRows = jdbc.queryForObject("select count(*) from traffic_1h", Long.class);

        String report = String.format("""
                | Measure | Value |
                |---|---|
                | raw COPY of the same rows (counters) into traffic_sample | %,.0f rows/s (%d rows; median %.1f ms per %d) |
                | POST /api/traffic/samples (NDJSON, %d snapshots per request) | %,.0f rows/s (median %.1f ms per request) |
                | ingest / raw COPY | %.0f %% (of the medians: %.0f %%) |
                | CPU per snapshot, ingest: server / PostgreSQL | %.2f µs / %.2f µs |
                | CPU per snapshot, raw COPY: the JVM writing it / PostgreSQL | %.2f µs / %.2f µs |
                | CPU while idle, per second: the JVM / PostgreSQL | %.1f ms / %.1f ms |
                | warm-up rounds (until the JIT compiler was quiet, %d to %d) | %d |
                | heap used during the ingest run (peak, after a GC before it) | %d MB |
                | hourly rollup rows (30 days × %d initiators) | %,d (filled in %.1f s) |
                | 30-day per-VM chart (both fabrics, active + standby WWPNs), p50 | %.1f ms |
                | 30-day per-VM chart, p95 | %.1f ms |
                """, copyRate, ROUNDS * wwpns.size(), copyMs[ROUNDS / 2], wwpns.size(), wwpns.size(), ingestRate,
                ingestMs[ROUNDS / 2], 100 * ingestRate / copyRate, 100 * copyMs[ROUNDS / 2] / ingestMs[ROUNDS / 2],
                ingestCpu[0] / 1e3 / (ROUNDS * wwpns.size()), ingestCpu[1] / 1e3 / (ROUNDS * wwpns.size()),
                copyCpu[0] / 1e3 / (ROUNDS * wwpns.size()), copyCpu[1] / 1e3 / (ROUNDS * wwpns.size()),
                idle.serverNanos() / 1e6 / idleSeconds, idle.postgresNanos() / 1e6 / idleSeconds,
                MIN_WARMUP_ROUNDS, MAX_WARMUP_ROUNDS, warmupRounds, sampler.peakMegabytes(), INITIATORS, rollupRows, fillSeconds,
                ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.95) - 1]);
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-traffic.md"), report);
    }

    /**
     * One row as the ingest stores it (counters and derived rates), in COPY text: the raw-COPY baseline the ingest
     * benchmarks compare with.
     */
    static void rawRow(StringBuilder line, long initiator, String ts, long n, long secondsSinceReset) {
        line.append(initiator).append('\t').append(ts).append('\t').append(n)
                .append('\t').append(n / 2).append("\t\\N\t\\N\t").append(n).append('\t').append(n)
                .append('\t').append(n * 8).append('\t').append(n * 8)
                .append("\t0\t\\N\t\\N\t\\N\t\\N\t\\N\t").append(secondsSinceReset)
                .append("\tOnline\n");
    }

    /** Loads COPY text into traffic_sample on a connection of its own, committing when done. */
    static void rawCopy(DataSource dataSource, List<byte[]> copyText) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("copy traffic_sample ("
                    + "initiator, ts, fcp_input_requests, fcp_output_requests, fcp_input_megabytes, "
                    + "fcp_output_megabytes, tx_frames, rx_frames, tx_words, rx_words, error_frames, "
                    + "link_failure_count, loss_of_sync_count, loss_of_signal_count, invalid_crc_count, dumped_frames, "
                    + "seconds_since_last_reset, port_state) from stdin");
            for (byte[] chunk : copyText) {
                copy.writeToCopy(chunk, 0, chunk.length);
            }
            copy.endCopy();
        }
    }

    /** The COPY text in 64 KB pieces, written to the COPY one by one. */
    static final class Chunks {

        private static final int CHUNK = 64 * 1024;
        private final List<byte[]> chunks = new ArrayList<>();
        private final StringBuilder current = new StringBuilder(CHUNK + 1024);

        StringBuilder line() {
            if (current.length() >= CHUNK) {
                chunks.add(current.toString().getBytes(StandardCharsets.UTF_8));
                current.setLength(0);
            }
            return current;
        }

        List<byte[]> done() {
            line();
            if (!current.isEmpty()) {
                chunks.add(current.toString().getBytes(StandardCharsets.UTF_8));
            }
            return chunks;
        }
    }
}
