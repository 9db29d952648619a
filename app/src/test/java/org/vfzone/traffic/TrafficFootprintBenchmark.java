package org.vfzone.traffic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * Disk per snapshot, raw and compacted, measured with {@code pg_total_relation_size} (heap, indexes, TOAST): a day of
 * 1,000 initiators every 10 s (realistic counters, collector jitter, a reset, a gap) loaded into a closed day's raw
 * partition, then compacted. Also the compaction's speed and the raw-tier chart of a VM (two initiators, 4 hours) read
 * from blocks. Not part of the suite: {@code mvn -Pbench verify -pl app -am -Dtest=TrafficFootprintBenchmark
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

    @Test
    void bytesPerSnapshotRawAndCompacted() throws Exception {
        LocalDate day = compaction.newestClosedDay().minusDays(1);
        String partition = "traffic_sample_" + day.toString().replace("-", "");
        partitions.ensureDay(day);
        long firstInitiator = 0x5001_0000_0000_0000L + new Random().nextInt(1 << 20) * (long) INITIATORS;
        long samples = 0;
        long loadNanos = 0;
        for (int i = 0; i < INITIATORS; i++) {
            List<Snapshot> snapshots = TrafficHistory.day(firstInitiator + i, day, i);
            samples += snapshots.size();
            long start = System.nanoTime();
            TrafficHistory.copy(dataSource, snapshots);
            loadNanos += System.nanoTime() - start;
        }
        jdbc.execute("vacuum analyze " + partition);
        long rawRows = jdbc.queryForObject("select count(*) from " + partition, Long.class);
        long rawBytes = jdbc.queryForObject("select pg_total_relation_size(?::regclass)", Long.class, partition);
        long blockBytesBefore = jdbc.queryForObject("select pg_total_relation_size('traffic_block')", Long.class);
        long blockSamplesBefore = jdbc.queryForObject("select coalesce(sum(samples), 0) from traffic_block",
                Long.class);

        long start = System.nanoTime();
        TrafficCompaction.Compacted compacted = compaction.compact(day);
        double compactSeconds = (System.nanoTime() - start) / 1e9;
        jdbc.execute("vacuum analyze traffic_block");
        long blockBytes = jdbc.queryForObject("select pg_total_relation_size('traffic_block')", Long.class)
                - blockBytesBefore;
        long blockSamples = jdbc.queryForObject("select sum(samples) from traffic_block", Long.class)
                - blockSamplesBefore;

        // the raw-tier chart (4 hours) of two initiators of the compacted day, as a VM's page asks for it
        Random random = new Random(7);
        double[] chartMs = new double[CHARTS];
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
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
                | snapshots loaded (%,d initiators × one day every 10 s, a 3-hour gap each) | %,d (COPY %,.0f rows/s) |
                | raw partition, pg_total_relation_size | %,d bytes — **%.1f bytes per snapshot** |
                | compacted blocks, pg_total_relation_size (table, index, TOAST) | %,d bytes — **%.1f bytes per snapshot** |
                | compaction | %,d snapshots into %,d blocks in %.1f s (%,.0f snapshots/s) |
                | raw-tier VM chart from blocks (2 initiators, 4 hours), p50 / p95 | %.1f ms / %.1f ms |
                """.formatted(INITIATORS, samples, samples / (loadNanos / 1e9), rawBytes,
                (double) rawBytes / rawRows, blockBytes, (double) blockBytes / blockSamples, compacted.samples(),
                compacted.blocks(), compactSeconds, compacted.samples() / compactSeconds,
                chartMs[CHARTS / 2], chartMs[(int) Math.ceil(CHARTS * 0.95) - 1]);
        Files.writeString(Path.of("target/benchmark-traffic-footprint.md"), report);
        System.out.println(report);
    }
}
