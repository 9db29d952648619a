package org.vfzone.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.traffic.Snapshot;
import org.vfzone.traffic.TrafficIngestService;
import org.vfzone.traffic.TrafficQueries;
import org.vfzone.traffic.TrafficRollups;
import org.vfzone.wwn.Wwn;

/**
 * Demo mode: synthetic fc_host counters for every VM's active WWPN — a daily cycle with noise, a few noisy VMs, an
 * occasional counter reset and link error — three days of history at start, then live snapshots every 10 seconds.
 * It goes through the same ingest path as a real collector.
 */
@Component
@Profile("demo")
@Order(2)
class DemoTraffic implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);
    static final Duration HISTORY = Duration.ofDays(3);
    static final Duration HISTORY_STEP = Duration.ofMinutes(2);

    private final InventoryDirectory inventory;
    private final TrafficQueries queries;
    private final TrafficIngestService ingest;
    private final TrafficRollups rollups;
    private final Clock clock;
    private final Map<Long, Counters> counters = new HashMap<>();
    private final Random random = new Random(42);

    /** The running counters of one initiator, as its HBA would keep them. */
    private static final class Counters {
        final double baseIops;
        final double readShare;
        long reads;
        long writes;
        long rxWords;
        long txWords;
        long errors;
        long linkFailures;
        long secondsSinceReset = 86_400L * 30;

        Counters(double baseIops, double readShare) {
            this.baseIops = baseIops;
            this.readShare = readShare;
        }
    }

    DemoTraffic(InventoryDirectory inventory, TrafficQueries queries, TrafficIngestService ingest,
                TrafficRollups rollups, Clock clock) {
        this.inventory = inventory;
        this.queries = queries;
        this.ingest = ingest;
        this.rollups = rollups;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<Long> initiators = initiators();
        if (initiators.isEmpty()) {
            return;
        }
        if (queries.anySampleSince(clock.instant().minus(Duration.ofHours(1)))) {
            return;
        }
        Instant now = clock.instant();
        Instant start = now.minus(HISTORY);
        long begin = System.nanoTime();
        int stored = 0;
        for (Instant day = start; day.isBefore(now); day = day.plus(Duration.ofHours(6))) {
            List<Snapshot> batch = new ArrayList<>();
            Instant end = day.plus(Duration.ofHours(6)).isBefore(now) ? day.plus(Duration.ofHours(6)) : now;
            for (Instant ts = day; ts.isBefore(end); ts = ts.plus(HISTORY_STEP)) {
                for (long initiator : initiators) {
                    batch.add(next(initiator, ts, HISTORY_STEP));
                }
            }
            stored += ingest.ingest(batch).accepted();
        }
        rollups.rebuild(start.minus(Duration.ofHours(1)));
        log.info("Demo traffic: {} snapshots of {} initiators over {} days in {} ms", stored, initiators.size(),
                HISTORY.toDays(), (System.nanoTime() - begin) / 1_000_000);
    }

    @Scheduled(fixedRate = 10_000, initialDelay = 10_000)
    // one node plays the collectors, as on a real estate each host posts once
    @SchedulerLock(name = "demo-traffic", lockAtMostFor = "PT1M")
    void live() {
        Instant now = clock.instant();
        List<Snapshot> batch = new ArrayList<>();
        for (long initiator : initiators()) {
            batch.add(next(initiator, now, Duration.ofSeconds(10)));
        }
        if (!batch.isEmpty()) {
            ingest.ingest(batch);
        }
    }

    private List<Long> initiators() {
        return inventory.allInitiators().stream().map(pair -> Wwn.parse(pair.activeWwpn()).value())
                .toList();
    }

    private synchronized Snapshot next(long initiator, Instant ts, Duration step) {
        Counters c = counters.computeIfAbsent(initiator, k -> {
            boolean noisy = Math.floorMod(k, 9) == 0;
            return new Counters(noisy ? 4000 + random.nextInt(2000) : 200 + random.nextInt(800),
                    0.55 + random.nextDouble() * 0.3);
        });
        double hour = ts.atZone(ZoneOffset.UTC).getHour() + ts.atZone(ZoneOffset.UTC).getMinute() / 60.0;
        double daily = 1 + 0.6 * Math.sin((hour - 8) / 24 * 2 * Math.PI);
        double iops = Math.max(0, c.baseIops * daily * (0.85 + random.nextDouble() * 0.3));
        double seconds = step.toSeconds();
        long reads = Math.round(iops * c.readShare * seconds);
        long writes = Math.round(iops * (1 - c.readShare) * seconds);
        c.reads += reads;
        c.writes += writes;
        c.rxWords += reads * 32 * 1024 / 4;   // 32 KiB per read
        c.txWords += writes * 16 * 1024 / 4;  // 16 KiB per write
        if (random.nextInt(5000) == 0) {
            c.errors += 1 + random.nextInt(20);
            c.linkFailures++;
        }
        c.secondsSinceReset += step.toSeconds();
        if (random.nextInt(20000) == 0) {
            // an HBA reset: every counter starts from zero again
            c.reads = reads;
            c.writes = writes;
            c.rxWords = reads * 32 * 1024 / 4;
            c.txWords = writes * 16 * 1024 / 4;
            c.errors = 0;
            c.linkFailures = 0;
            c.secondsSinceReset = step.toSeconds();
        }
        return Snapshot.of(initiator, ts, "Online", c.reads, c.writes, null, null, c.txWords / 512, c.rxWords / 512,
                c.txWords, c.rxWords, c.errors, c.linkFailures, 0L, 0L, 0L, null, c.secondsSinceReset);
    }
}
