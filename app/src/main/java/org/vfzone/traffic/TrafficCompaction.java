package org.vfzone.traffic;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Compacts each closed hour of raw snapshots into one block per initiator ({@link CounterBlock}) and deletes the raw
 * rows it compacted. An hour is closed when it ended more than {@code vfzone.traffic.compact-after} ago (an hour by
 * default), so raw rows hold only the last hour or two and everything older is kept at a few dozen bytes per snapshot.
 *
 * <p>Each hour is compacted in one REPEATABLE READ transaction: the rows it reads are exactly the rows it deletes, so
 * ingest goes on meanwhile, and a snapshot stored during the compaction (late for that hour) stays raw for the next
 * run, which merges it into its block. Readers see raw rows and blocks together. A crash leaves the hour raw or
 * compacted, never half. Once a whole day is compacted, its emptied partition is truncated to give back its space.
 */
@Component
public class TrafficCompaction {

    private static final Logger log = LoggerFactory.getLogger(TrafficCompaction.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    /** What one hour's compaction did. */
    public record Compacted(Instant hour, long samples, int blocks, long blockBytes) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate repeatableRead;
    private final TransactionTemplate transaction;
    private final TrafficProperties properties;
    private final Clock clock;

    TrafficCompaction(JdbcTemplate jdbc, PlatformTransactionManager transactions, TrafficProperties properties,
                      Clock clock) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.repeatableRead = new TransactionTemplate(transactions);
        this.repeatableRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.properties = properties;
        this.clock = clock;
    }

    /** The start of the first hour that is not closed yet: every hour before it may be compacted now. */
    Instant horizon() {
        return clock.instant().minus(properties.compactAfter()).truncatedTo(ChronoUnit.HOURS);
    }

    @Scheduled(cron = "${vfzone.traffic.compaction-cron:0 */10 * * * *}", zone = "UTC")
    @SchedulerLock(name = "traffic-compaction", lockAtMostFor = "PT6H")
    public List<Compacted> compactClosedHours() {
        Instant horizon = horizon();
        List<Compacted> done = new ArrayList<>();
        for (String partition : rawPartitions()) {
            LocalDate day = LocalDate.parse(partition.substring(partition.length() - 8), DAY);
            Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            if (!dayStart.isBefore(horizon)) {
                continue;
            }
            List<Instant> hours = jdbc.queryForList("select distinct date_trunc('hour', ts) from " + partition
                    + " where ts < ? order by 1", Timestamp.class, Timestamp.from(horizon)).stream()
                    .map(Timestamp::toInstant).toList();
            for (Instant hour : hours) {
                try {
                    done.add(compact(hour));
                } catch (RuntimeException e) {
                    // that hour stays raw (readers see it as before) and is tried again next run; the others go on
                    log.error("Could not compact traffic of the hour {}: {}", hour, e.getMessage(), e);
                }
            }
            if (!dayStart.plus(Duration.ofDays(1)).isAfter(horizon)) {
                releaseEmpty(partition);
            }
        }
        if (!done.isEmpty()) {
            log.info("Compacted traffic: {} hours, {} snapshots into {} bytes", done.size(),
                    done.stream().mapToLong(Compacted::samples).sum(),
                    done.stream().mapToLong(Compacted::blockBytes).sum());
        }
        return done;
    }

    private List<String> rawPartitions() {
        return jdbc.queryForList("""
                select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                  join pg_class p on p.oid = i.inhparent
                 where p.relname = 'traffic_sample' and c.relname ~ '^traffic_sample_[0-9]{8}$'
                 order by c.relname
                """, String.class);
    }

    /**
     * Gives back the space of a closed day's partition once it holds no rows. The lock waits for any insert in
     * progress and keeps new ones out, so no snapshot committed meanwhile can be truncated away.
     */
    private void releaseEmpty(String partition) {
        if (jdbc.queryForObject("select pg_relation_size(?::regclass)", Long.class, partition) == 0) {
            return; // nothing to give back: no lock taken (it would make readers of the partition wait)
        }
        transaction.executeWithoutResult(status -> {
            jdbc.execute("lock table " + partition + " in access exclusive mode");
            if (!Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from " + partition + ")",
                    Boolean.class))) {
                jdbc.execute("truncate " + partition);
            }
        });
    }

    /** Compacts one hour's raw rows into its blocks (merging blocks the hour already has) and deletes those rows. */
    public Compacted compact(Instant hour) {
        Instant end = hour.plus(Duration.ofHours(1));
        return repeatableRead.execute(status -> {
            boolean hadBlocks = Boolean.TRUE.equals(jdbc.queryForObject(
                    "select exists (select 1 from traffic_compacted_hour where hour = ?)", Boolean.class,
                    Timestamp.from(hour)));
            long[] totals = new long[3];
            List<Snapshot> current = new ArrayList<>();
            try (Stream<Snapshot> rows = jdbc.queryForStream(connection -> {
                PreparedStatement statement = connection.prepareStatement("select " + TrafficCounters.COLUMNS
                        + " from traffic_sample where ts >= ? and ts < ? order by initiator, ts");
                statement.setTimestamp(1, Timestamp.from(hour));
                statement.setTimestamp(2, Timestamp.from(end));
                statement.setFetchSize(10_000);
                return statement;
            }, (rs, n) -> TrafficCounters.snapshot(rs))) {
                rows.forEachOrdered(snapshot -> {
                    if (!current.isEmpty() && current.get(0).initiator() != snapshot.initiator()) {
                        writeBlock(hour, current, hadBlocks, totals);
                        current.clear();
                    }
                    current.add(snapshot);
                });
            }
            if (!current.isEmpty()) {
                writeBlock(hour, current, hadBlocks, totals);
            }
            if (totals[0] == 0) {
                return new Compacted(hour, 0, 0, 0);
            }
            // in REPEATABLE READ this deletes exactly the rows read above, not a snapshot stored since
            long deleted = jdbc.update("delete from traffic_sample where ts >= ? and ts < ?", Timestamp.from(hour),
                    Timestamp.from(end));
            if (deleted != totals[0]) {
                throw new IllegalStateException("compaction of " + hour + " read " + totals[0] + " snapshots but "
                        + "would delete " + deleted);
            }
            jdbc.update("""
                    insert into traffic_compacted_hour (hour, samples, block_bytes) values (?, ?, ?)
                    on conflict (hour) do update set compacted_at = now(),
                           samples = (select sum(samples) from traffic_block where hour = excluded.hour),
                           block_bytes = (select sum(octet_length(streams)) from traffic_block where hour = excluded.hour)
                    """, Timestamp.from(hour), totals[0], totals[2]);
            return new Compacted(hour, totals[0], (int) totals[1], totals[2]);
        });
    }

    private void writeBlock(Instant hour, List<Snapshot> raw, boolean hadBlocks, long[] totals) {
        long initiator = raw.get(0).initiator();
        List<Snapshot> snapshots = raw;
        if (hadBlocks) {
            List<Snapshot> stored = jdbc.query("select streams, state_from, states from traffic_block "
                            + "where initiator = ? and hour = ?",
                    (rs, n) -> TrafficCounters.block(rs, initiator, 1), initiator, Timestamp.from(hour))
                    .stream().flatMap(List::stream).toList();
            if (!stored.isEmpty()) {
                TreeMap<Instant, Snapshot> merged = new TreeMap<>();
                stored.forEach(s -> merged.put(s.ts(), s));
                raw.forEach(s -> merged.putIfAbsent(s.ts(), s));
                snapshots = new ArrayList<>(merged.values());
            }
        }
        CounterBlock.Encoded block = CounterBlock.encode(snapshots);
        saveBlock(initiator, hour, block);
        totals[0] += raw.size();
        totals[1]++;
        totals[2] += block.streams().length;
    }

    /** Writes an initiator's block of an hour, replacing the one it had. */
    void saveBlock(long initiator, Instant hour, CounterBlock.Encoded block) {
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    insert into traffic_block (initiator, hour, samples, first_ts, last_ts, streams, state_from, states)
                    values (?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (initiator, hour) do update set samples = excluded.samples,
                           first_ts = excluded.first_ts, last_ts = excluded.last_ts, streams = excluded.streams,
                           state_from = excluded.state_from, states = excluded.states
                    """);
            statement.setLong(1, initiator);
            statement.setTimestamp(2, Timestamp.from(hour));
            statement.setInt(3, block.samples());
            statement.setTimestamp(4, Timestamp.from(block.firstTs()));
            statement.setTimestamp(5, Timestamp.from(block.lastTs()));
            statement.setBytes(6, block.streams());
            statement.setArray(7, connection.createArrayOf("integer", block.stateFrom().toArray()));
            statement.setArray(8, connection.createArrayOf("text", block.states().toArray()));
            return statement;
        });
    }

    /**
     * Which of the snapshots (by {@link TrafficIngestService#key}) are already kept in a block: only snapshots of
     * compacted hours can be, so a batch of recent snapshots costs nothing here.
     */
    Set<TrafficIngestService.Key> storedInBlocks(List<Snapshot> snapshots) {
        Instant horizon = horizon();
        Map<Long, Set<Instant>> candidates = new HashMap<>();
        for (Snapshot s : snapshots) {
            if (s.ts().isBefore(horizon)) {
                candidates.computeIfAbsent(s.initiator(), k -> new HashSet<>())
                        .add(s.ts().truncatedTo(ChronoUnit.HOURS));
            }
        }
        Set<TrafficIngestService.Key> stored = new HashSet<>();
        if (candidates.isEmpty()) {
            return stored;
        }
        Long[] initiators = candidates.keySet().toArray(Long[]::new);
        Timestamp[] hours = candidates.values().stream().flatMap(Set::stream).distinct().map(Timestamp::from)
                .toArray(Timestamp[]::new);
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("select initiator, hour, streams, state_from, "
                    + "states from traffic_block where initiator = any (?) and hour = any (?)");
            statement.setArray(1, connection.createArrayOf("bigint", initiators));
            statement.setArray(2, connection.createArrayOf("timestamptz", hours));
            return statement;
        }, rs -> {
            long initiator = rs.getLong(1);
            if (candidates.get(initiator).contains(rs.getTimestamp(2).toInstant())) {
                for (Snapshot s : TrafficCounters.block(rs, initiator, 3)) {
                    stored.add(TrafficIngestService.key(s));
                }
            }
        });
        return stored;
    }

    /** Drops the blocks of hours past the raw retention. */
    int dropExpired(Instant oldestKept) {
        int blocks = jdbc.update("delete from traffic_block where hour < ?", Timestamp.from(oldestKept));
        jdbc.update("delete from traffic_compacted_hour where hour < ?", Timestamp.from(oldestKept));
        return blocks;
    }
}
