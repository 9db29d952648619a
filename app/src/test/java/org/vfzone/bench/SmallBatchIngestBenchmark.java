package org.vfzone.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.security.ApiTokenService;
import org.vfzone.traffic.TrafficPartitions;
import org.vfzone.wwn.Wwn;

/**
 * Collectors as they post in production: many at once, each with the 8 initiators of its host per request, over
 * HTTP with a token, for a fixed time; alternating with a raw COPY of as many rows of the same shape, in the same
 * run. Reports requests/s, snapshots/s, p50/p95 latency and the ratio to raw COPY. Run with
 * {@code mvn -Pbench verify -pl app -am -Dtest=SmallBatchIngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false};
 * writes {@code app/target/benchmark-small-batches.md}.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vfzone.admin-password=integration-admin-secret", "vfzone.data-dir=target/test-data",
        "vfzone.scheduling.enabled=false"})
class SmallBatchIngestBenchmark extends IntegrationTest {

    /** 12 as in the traffic engine's cost figures; {@code -Dbench.collectors=48} as in the earlier throughput ones. */
    static final int COLLECTORS = Integer.getInteger("bench.collectors", 12);
    static final int PER_REQUEST = 8;
    static final int ROUNDS = 3;
    static final Duration PHASE = Duration.ofSeconds(Long.getLong("bench.phase-seconds", 8));
    /** Ingest-only phases before the rounds, until the JIT compiler is quiet; at most this many. */
    static final int MAX_WARMUP_PHASES = 8;
    /** Compile time per second of a phase (summed over the compiler's threads) below which the JIT counts as quiet. */
    static final long QUIET_COMPILE_MS_PER_SECOND = 2;

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

    @Test
    void smallBatchesFromManyCollectorsAgainstRawCopy() throws Exception {
        List<String> wwpns = BenchEstate.activeWwpns(jdbc, transaction, COLLECTORS * PER_REQUEST * 2);
        // readings of now, as collectors post them (an hour already closed would also be looked for in its blocks)
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant base = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
        for (int day = 0; day <= 3; day++) {
            partitions.ensureDay(LocalDate.ofInstant(base.plus(Duration.ofDays(day)), ZoneOffset.UTC));
        }
        String token = tokens.create(unique("bench-small"), "COLLECTOR", "bench").token();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // each collector's own clock
        long[] ticks = new long[COLLECTORS];
        StringBuilder report = new StringBuilder("| Round | requests/s | snapshots/s | p50 ms | p95 ms | server CPU µs "
                + "per request | PostgreSQL CPU µs per request | raw COPY rows/s | ingest / raw COPY |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        CpuMeter cpu = new CpuMeter();
        double ingestTotal = 0;
        double copyTotal = 0;
        // the run's cost: CPU over all measured rounds per request, as the traffic engine's goals state it
        long runRequests = 0;
        long runServerNanos = 0;
        long runPostgresNanos = 0;
        List<Double> allLatencies = new ArrayList<>();
        // first the ingest alone until the JIT compiler is quiet (after the application's start it works through its
        // queue for a while, and its CPU would count as the requests'), then rounds of both, the first unmeasured
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        int warmupPhases = 0;
        while (warmupPhases < MAX_WARMUP_PHASES) {
            long compiledBefore = jit.getTotalCompilationTime();
            Phase warmup = ingestPhase(http, token, wwpns, ticks, now, cpu);
            warmupPhases++;
            if (jit.getTotalCompilationTime() - compiledBefore <= QUIET_COMPILE_MS_PER_SECOND * warmup.seconds()) {
                break;
            }
        }
        for (int round = -1; round < ROUNDS; round++) { // round -1 warms both up, unmeasured
            Phase phase = ingestPhase(http, token, wwpns, ticks, now, cpu);
            Collection<Double> latencies = phase.latencies();
            AtomicLong requests = new AtomicLong(phase.requests());
            double seconds = phase.seconds();
            CpuMeter.Spent spent = phase.spent();
            long snapshots = requests.get() * PER_REQUEST;

            // raw COPY of as many rows of the same shape (counters and rates), other initiators and times
            TrafficBenchmark.Chunks text = new TrafficBenchmark.Chunks();
            List<String> others = wwpns.subList(COLLECTORS * PER_REQUEST, wwpns.size());
            Instant copyBase = base.plus(Duration.ofDays(1)).plusSeconds((round + 1) * 100_000L);
            for (long i = 0; i < snapshots; i++) {
                String wwpn = others.get((int) (i % others.size()));
                String ts = copyBase.plusSeconds(i / others.size() * 10).toString();
                long n = i * 100;
                TrafficBenchmark.rawRow(text.line(), Wwn.parse(wwpn).value(), ts, n, 600);
            }
            List<byte[]> copyText = text.done();
            long start = System.nanoTime();
            TrafficBenchmark.rawCopy(dataSource, copyText);
            double copyRate = snapshots / ((System.nanoTime() - start) / 1e9);
            if (round < 0) {
                continue;
            }
            runRequests += requests.get();
            runServerNanos += spent.serverNanos();
            runPostgresNanos += spent.postgresNanos();
            double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            allLatencies.addAll(latencies);
            double ingestRate = snapshots / seconds;
            ingestTotal += ingestRate;
            copyTotal += copyRate;
            report.append(String.format("| %d | %,.0f | %,.0f | %.1f | %.1f | %,.0f | %,.0f | %,.0f | %.0f %% |%n",
                    round + 1, requests.get() / seconds, ingestRate, sorted[sorted.length / 2],
                    sorted[(int) Math.ceil(sorted.length * 0.95) - 1], spent.serverNanos() / 1e3 / requests.get(),
                    spent.postgresNanos() / 1e3 / requests.get(), copyRate, 100 * ingestRate / copyRate));
        }
        double[] all = allLatencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        report.insert(0, String.format("%d collectors, %d snapshots per request, %d s per phase, over HTTP with a "
                        + "COLLECTOR token; %d ingest-only warm-up phases (until the JIT compiler was quiet, at most %d).%n%n",
                COLLECTORS, PER_REQUEST, PHASE.toSeconds(), warmupPhases, MAX_WARMUP_PHASES));
        report.append(String.format("%nAll rounds: ingest / raw COPY %.0f %%, p50 %.1f ms, p95 %.1f ms (targets: "
                        + "≥ 25 %%, p95 ≤ 100 ms); server CPU %.0f µs and PostgreSQL CPU %.0f µs per request over the "
                        + "run (target: server ≤ 250 µs).%n", 100 * ingestTotal / copyTotal, all[all.length / 2],
                all[(int) Math.ceil(all.length * 0.95) - 1], runServerNanos / 1e3 / runRequests,
                runPostgresNanos / 1e3 / runRequests));
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-small-batches.md"), report.toString());
    }

    /** The result of one phase of the collectors posting. */
    record Phase(long requests, double seconds, Collection<Double> latencies, CpuMeter.Spent spent) {
    }

    /** Every collector posts its readings, one request after another, for {@link #PHASE}. */
    Phase ingestPhase(HttpClient http, String token, List<String> wwpns, long[] ticks, Instant now, CpuMeter cpu)
            throws InterruptedException {
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong requests = new AtomicLong();
        long deadline = System.nanoTime() + PHASE.toNanos();
        CountDownLatch done = new CountDownLatch(COLLECTORS);
        cpu.start();
        long phaseStart = System.nanoTime();
        for (int c = 0; c < COLLECTORS; c++) {
            int collector = c;
            new Thread(() -> {
                try {
                    List<String> mine = wwpns.subList(collector * PER_REQUEST, (collector + 1) * PER_REQUEST);
                    while (System.nanoTime() - deadline < 0) {
                        long tick = ++ticks[collector];
                        // a millisecond further per request: the readings stay within the minutes of now
                        byte[] body = ndjson(mine, now.plusMillis(tick), tick).getBytes(StandardCharsets.UTF_8);
                        long start = System.nanoTime();
                        int status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                        + "/api/traffic/samples")).header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status != 200) {
                            throw new IllegalStateException("ingest answered " + status);
                        }
                        latencies.add((System.nanoTime() - start) / 1e6);
                        requests.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    cpu.addCurrentThread();
                    done.countDown();
                }
            }, "bench-collector-" + c).start();
        }
        done.await();
        double seconds = (System.nanoTime() - phaseStart) / 1e9;
        CpuMeter.Spent spent = cpu.stop();
        return new Phase(requests.get(), seconds, latencies, spent);
    }

    static String ndjson(List<String> wwpns, Instant ts, long tick) {
        StringBuilder body = new StringBuilder(wwpns.size() * 300);
        long n = tick * 1000;
        for (String wwpn : wwpns) {
            body.append("{\"wwpn\":\"").append(wwpn).append("\",\"timestamp\":\"").append(ts)
                    .append("\",\"fcp_input_requests\":").append(n).append(",\"fcp_output_requests\":").append(n / 2)
                    .append(",\"tx_frames\":").append(n).append(",\"rx_frames\":").append(n)
                    .append(",\"tx_words\":").append(n * 8).append(",\"rx_words\":").append(n * 8)
                    .append(",\"error_frames\":0,\"seconds_since_last_reset\":").append(600 + tick)
                    .append(",\"port_state\":\"Online\"}\n");
        }
        return body.toString();
    }
}
