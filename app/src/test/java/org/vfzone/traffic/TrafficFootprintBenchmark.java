package org.vfzone.traffic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import javax.sql.DataSource;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vfzone.IntegrationTest;

/**
 * Disk per snapshot, measured with {@code pg_total_relation_size} (heap, indexes, TOAST), for a day of 1,000
 * initiators every 10 s (realistic counters, collector jitter, a reset, a gap) played hour by hour as a live system
 * takes it: each hour is loaded, then every hour closed by then is compacted and the raw partition vacuumed (as
 * autovacuum would). Reported: raw rows alone, the whole current day at its end (raw last hours plus blocks), and
 * compacted data alone; the compaction's speed; and the raw-tier chart of a VM (two initiators, 4 hours) read from
 * blocks. Not part of the suite: {@code mvn -Pbench verify -pl app -am -Dtest=TrafficFootprintBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}. Writes {@code app/target/benchmark-traffic-footprint.md}.
 */
@Tag("benchmark")
class TrafficFootprintBenchmark extends IntegrationTest {

    static final int INITIATORS = 1_000;
    static final int CHARTS = 200;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    TrafficPartitions partitions;
    @Autowired
    TrafficCompaction compaction;
    @Autowired
    TrafficQueries queries;
    @Autowired
    TrafficRollups rollups;

    /** Heap, indexes and TOAST of a table, or of all partitions of a partitioned one. */
    long size(String relation) {
        return jdbc.queryForObject("""
                select coalesce(sum(pg_total_relation_size(r)), 0) from (
                    select ?::regclass as r union all select inhrelid from pg_inherits where inhparent = ?::regclass
                ) relations""", Long.class, relation, relation);
    }

    @Test
    void bytesPerSnapshotRawCurrentDayAndCompacted() throws Exception {
        // a day whose hours are all closed, so each can be compacted as soon as the next two are loaded
        LocalDate day = LocalDate.ofInstant(compaction.horizon(), ZoneOffset.UTC).minusDays(2);
        String partition = "traffic_sample_" + day.toString().replace("-", "");
        partitions.ensureDay(day);
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        long firstInitiator = 0x5001_0000_0000_0000L + new Random().nextInt(1 << 20) * (long) INITIATORS;
        long samples = 0;
        long blockBytesBefore = size("traffic_block");
        long blockSamplesBefore = jdbc.queryForObject("select coalesce(sum(samples), 0) from traffic_block",
                Long.class);

        long loadNanos = 0;
        long compactNanos = 0;
        long compacted = 0;
        long rawPeak = 0;
        long rawRowsAtPeak = 0;
        for (int hour = 0; hour < 24; hour++) {
            Instant from = dayStart.plus(Duration.ofHours(hour));
            Instant to = from.plus(Duration.ofHours(1));
            // each initiator's day made again (same seed) and cut to the hour: a whole day of 1,000 initiators would
            // not fit the benchmark's heap
            List<Snapshot> rows = new ArrayList<>();
            for (int i = 0; i < INITIATORS; i++) {
                TrafficHistory.day(firstInitiator + i, day, i).stream()
                        .filter(s -> !s.ts().isBefore(from) && s.ts().isBefore(to)).forEach(rows::add);
            }
            samples += rows.size();
            long start = System.nanoTime();
            TrafficHistory.copy(dataSource, rows);
            loadNanos += System.nanoTime() - start;
            if (hour >= 2) { // the hour before last is closed now (compact-after 1 hour)
                start = System.nanoTime();
                compacted += compaction.compact(dayStart.plus(Duration.ofHours(hour - 2))).samples();
                compactNanos += System.nanoTime() - start;
                jdbc.execute("vacuum " + partition);
            }
            long raw = size(partition);
            if (raw > rawPeak) {
                rawPeak = raw;
                rawRowsAtPeak = jdbc.queryForObject("select count(*) from " + partition, Long.class);
            }
        }
        jdbc.execute("vacuum analyze traffic_block");
        long rawRows = jdbc.queryForObject("select count(*) from " + partition, Long.class);
        long rawBytes = size(partition);
        long dayBlockBytes = size("traffic_block") - blockBytesBefore;
        long dayBytes = rawBytes + dayBlockBytes;

        // the last two hours too, then the day is closed: compacted data alone
        for (int hour = 22; hour < 24; hour++) {
            long start = System.nanoTime();
            compacted += compaction.compact(dayStart.plus(Duration.ofHours(hour))).samples();
            compactNanos += System.nanoTime() - start;
        }
        jdbc.execute("vacuum analyze traffic_block");
        long blockBytes = size("traffic_block") - blockBytesBefore;
        long blockSamples = jdbc.queryForObject("select sum(samples) from traffic_block", Long.class)
                - blockSamplesBefore;

        // the 5-minute rollups of the day, computed from the blocks
        long fiveMinBytesBefore = size("traffic_5m");
        long fiveMinRowsBefore = jdbc.queryForObject("select count(*) from traffic_5m", Long.class);
        long rollupStart = System.nanoTime();
        rollups.rebuild(dayStart);
        double rollupSeconds = (System.nanoTime() - rollupStart) / 1e9;
        jdbc.execute("vacuum analyze traffic_5m");
        long fiveMinRows = jdbc.queryForObject("select count(*) from traffic_5m", Long.class) - fiveMinRowsBefore;
        long fiveMinBytes = size("traffic_5m") - fiveMinBytesBefore;

        // the raw-tier chart (4 hours) of two initiators of the compacted day, as a VM's page asks for it
        Random random = new Random(7);
        double[] chartMs = new double[CHARTS];
        for (int i = 0; i < CHARTS; i++) {
            long initiator = firstInitiator + random.nextInt(INITIATORS - 1);
            Instant from = dayStart.plus(Duration.ofHours(random.nextInt(20)));
            long chartStart = System.nanoTime();
            TrafficQueries.Series series = queries.series(List.of(initiator, initiator + 1), from,
                    from.plus(Duration.ofHours(4)));
            chartMs[i] = (System.nanoTime() - chartStart) / 1e6;
            if (!series.tier().equals("raw")) {
                throw new IllegalStateException("expected the raw tier");
            }
        }
        Arrays.sort(chartMs);

        String report = """
                | Measure | Value |
                |---|---|
                | snapshots (%,d initiators × one day every 10 s, a 3-hour gap each) | %,d (loaded with COPY at %,.0f rows/s) |
                | raw rows alone (the partition at its fullest: %,d rows) | **%.1f bytes per snapshot** |
                | the current day at its end: %,d raw rows (last two hours) and the blocks of 22 hours | %,d bytes — **%.1f bytes per snapshot** |
                | compacted data alone (all 24 hours: table, index, TOAST) | %,d bytes — **%.1f bytes per snapshot** |
                | compaction | %,d snapshots in %.1f s (%,.0f snapshots/s) |
                | 5-minute rollups of the day from the blocks (rebuild) | %,d rows in %.1f s, %.0f bytes per row |
                | raw-tier VM chart from blocks (2 initiators, 4 hours), p50 / p95 | %.1f ms / %.1f ms |
                """.formatted(INITIATORS, samples, samples / (loadNanos / 1e9), rawRowsAtPeak,
                (double) rawPeak / rawRowsAtPeak, rawRows, dayBytes, (double) dayBytes / samples, blockBytes,
                (double) blockBytes / blockSamples, compacted, compactNanos / 1e9, compacted / (compactNanos / 1e9),
                fiveMinRows, rollupSeconds, (double) fiveMinBytes / fiveMinRows,
                chartMs[CHARTS / 2], chartMs[(int) Math.ceil(CHARTS * 0.95) - 1]);
        Files.writeString(Path.of("target/benchmark-traffic-footprint.md"), report);
        System.out.println(report);
    }
}
