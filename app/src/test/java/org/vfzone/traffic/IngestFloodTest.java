package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vfzone.InventoryFixtures;
import org.vfzone.TestDatabase;
import org.vfzone.TestPeople;
import org.vfzone.collector.Collector;
import org.vfzone.security.ApiTokenService;
import org.vfzone.security.People;

/**
 * Many collectors flood a server whose ingest is made small (two bodies read at a time, one writer, a queue of two):
 * past its capacity it answers 503 with Retry-After, never another 5xx; the collectors back off with jitter and keep
 * their readings on disk; in the end every reading of every collector is stored exactly once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vfzone.admin-password=flood-admin-secret", "vfzone.data-dir=target/test-data",
        "vfzone.scheduling.enabled=false", "vfzone.traffic.concurrent-reads=2", "vfzone.traffic.concurrent-stores=1",
        "vfzone.traffic.group-queue=2", "vfzone.traffic.max-group=2", "vfzone.traffic.store-wait=1s"})
@Import({InventoryFixtures.class, TestPeople.class})
class IngestFloodTest {

    static final int COLLECTORS = 16;
    static final int READINGS = 10;

    @LocalServerPort
    int port;
    @Autowired
    ApiTokenService tokens;
    @Autowired
    TrafficCounters counters;
    @Autowired
    MeterRegistry meters;
    @Autowired
    InventoryFixtures fixtures;

    @TempDir
    Path work;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.url("vfzone_flood"));
        registry.add("spring.datasource.username", TestDatabase::username);
        registry.add("spring.datasource.password", TestDatabase::password);
    }

    @Test
    void aFloodGets503WithRetryAfterNeverAnother5xxAndEveryReadingArrivesExactlyOnce() throws Exception {
        String token = tokens.create("flood-" + System.nanoTime(), "COLLECTOR", "admin").token();
        List<Collector> collectors = new ArrayList<>();
        List<Long> initiators = new ArrayList<>();
        List<Path> sysfs = new ArrayList<>();
        List<Path> buffers = new ArrayList<>();
        for (int c = 0; c < COLLECTORS; c++) {
            // vfzone takes counters of the initiators it knows: a VM's NPIV WWPN
            long wwpn = People.runAsSystem(fixtures::vmWithActiveWwpn).value();
            initiators.add(wwpn);
            Path sys = work.resolve("sys" + c);
            Path host = Files.createDirectories(sys.resolve("class/fc_host/host1"));
            Files.writeString(host.resolve("port_name"), String.format("0x%016x%n", wwpn));
            Files.writeString(host.resolve("port_state"), "Online\n");
            Files.createDirectories(host.resolve("statistics"));
            Path buffer = Files.createDirectories(work.resolve("buffer" + c));
            sysfs.add(sys);
            buffers.add(buffer);
            collectors.add(new Collector(new Collector.Settings(URI.create("http://127.0.0.1:" + port), token, sys,
                    Duration.ofSeconds(10), buffer, 10_000)));
        }
        // every collector reads every 10 s (the collectors' clock, given to them), all at once
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(20, ChronoUnit.MINUTES);
        ExecutorService pool = Executors.newFixedThreadPool(COLLECTORS);
        for (int round = 0; round < READINGS; round++) {
            for (int c = 0; c < COLLECTORS; c++) {
                Path statistics = sysfs.get(c).resolve("class/fc_host/host1/statistics");
                Files.writeString(statistics.resolve("fcp_input_requests"), "0x" + Long.toHexString(1000L * round)
                        + "\n");
                Files.writeString(statistics.resolve("seconds_since_last_reset"), "0x"
                        + Long.toHexString(600 + 10L * round) + "\n");
            }
            Instant now = start.plusSeconds(10L * round);
            everyCollector(pool, collectors, now);
        }
        // the hosts stop reading; their collectors go on sending what they kept, as time passes
        for (Path sys : sysfs) {
            try (Stream<Path> files = Files.walk(sys)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(f -> f.toFile().delete());
            }
        }
        Instant later = start.plusSeconds(10L * READINGS);
        for (int round = 0; round < 40 && buffered(buffers) > 0; round++) {
            later = later.plusSeconds(10);
            everyCollector(pool, collectors, later);
        }
        pool.shutdown();
        assertThat(buffered(buffers)).as("every collector's buffer is empty in the end").isZero();

        // exactly once: every reading of every collector, each at its own time
        Map<Long, List<Instant>> stored = new HashMap<>();
        counters.rates(initiators, start.minusSeconds(1), start.plusSeconds(10L * READINGS),
                (snapshot, rates) -> stored.computeIfAbsent(snapshot.initiator(), k -> new ArrayList<>())
                        .add(snapshot.ts()));
        for (long initiator : initiators) {
            assertThat(stored.get(initiator)).as("readings of %x", initiator).hasSize(READINGS)
                    .doesNotHaveDuplicates();
        }

        // the server was overloaded, and said so only with 503
        long served = requests("2"), refused = requests("503"), failed = requestsOtherThan503();
        assertThat(refused).as("503 answers").isPositive();
        assertThat(served).as("2xx answers").isPositive();
        assertThat(failed).as("5xx answers other than 503").isZero();
    }

    private static void everyCollector(ExecutorService pool, List<Collector> collectors, Instant now)
            throws Exception {
        List<Future<?>> rounds = new ArrayList<>();
        for (Collector collector : collectors) {
            rounds.add(pool.submit(() -> collector.collectOnce(now)));
        }
        for (Future<?> round : rounds) {
            round.get();
        }
    }

    private static long buffered(List<Path> buffers) throws Exception {
        long n = 0;
        for (Path buffer : buffers) {
            try (Stream<Path> files = Files.list(buffer)) {
                n += files.filter(f -> f.toString().endsWith(".ndjson")).count();
            }
        }
        return n;
    }

    /** Ingest requests answered with a status starting with {@code status}. */
    private long requests(String status) {
        return meters.find(SampleIngestFilter.METRIC).timers().stream()
                .filter(t -> t.getId().getTag("status").startsWith(status)).mapToLong(Timer::count).sum();
    }

    private long requestsOtherThan503() {
        return meters.find(SampleIngestFilter.METRIC).timers().stream()
                .filter(t -> t.getId().getTag("status").startsWith("5") && !t.getId().getTag("status").equals("503"))
                .mapToLong(Timer::count).sum();
    }
}
