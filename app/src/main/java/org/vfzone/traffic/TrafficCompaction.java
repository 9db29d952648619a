package org.vfzone.traffic;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Compacts the raw partition of each closed day into one block per initiator ({@link CounterBlock}) and empties the
 * partition. A day is closed when it ended more than {@code vfzone.traffic.compact-after} ago (a day by default, so
 * a collector's backlog after a short outage still lands in raw rows). A snapshot arriving later still for a compacted
 * day is stored raw and merged into its block by the next run; readers see both forms in the meantime.
 *
 * <p>Each day is compacted in one transaction that holds the partition against writes (reads go on), so a crash
 * leaves the day either raw or compacted, never half of each.
 */
@Component
public class TrafficCompaction {

    private static final Logger log = LoggerFactory.getLogger(TrafficCompaction.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    /** What one day's compaction did. */
    public record Compacted(LocalDate day, long samples, int blocks, long blockBytes) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final TrafficProperties properties;
    private final Clock clock;

    TrafficCompaction(JdbcTemplate jdbc, TransactionTemplate transaction, TrafficProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.properties = properties;
        this.clock = clock;
    }

    /** The newest day that may be compacted now. */
    LocalDate newestClosedDay() {
        return LocalDate.ofInstant(clock.instant().minus(properties.compactAfter()), ZoneOffset.UTC).minusDays(1);
    }

    @Scheduled(cron = "${vfzone.traffic.compaction-cron:0 40 * * * *}", zone = "UTC")
    @SchedulerLock(name = "traffic-compaction", lockAtMostFor = "PT6H")
    public List<Compacted> compactClosedDays() {
        LocalDate newest = newestClosedDay();
        List<Compacted> done = new ArrayList<>();
        for (String partition : rawPartitions()) {
            LocalDate day = LocalDate.parse(partition.substring(partition.length() - 8), DAY);
            if (!day.isAfter(newest)) {
                Compacted compacted = compact(day);
                if (compacted.samples() > 0) {
                    done.add(compacted);
                }
            }
        }
        if (!done.isEmpty()) {
            log.info("Compacted traffic {}", done);
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

    /** Compacts one day's raw rows into its blocks (merging any the day already has) and empties its partition. */
    public Compacted compact(LocalDate day) {
        String partition = "traffic_sample_" + DAY.format(day);
        return transaction.execute(status -> {
            // writers wait (a late snapshot lands after this commits, raw, for the next run); readers go on
            jdbc.execute("lock table " + partition + " in exclusive mode");
            boolean hadBlocks = Boolean.TRUE.equals(jdbc.queryForObject(
                    "select exists (select 1 from traffic_compacted_day where day = ?)", Boolean.class, day));
            long[] totals = new long[3];
            List<Snapshot> current = new ArrayList<>();
            try (Stream<Snapshot> rows = jdbc.queryForStream(connection -> {
                PreparedStatement statement = connection.prepareStatement(
                        "select " + TrafficCounters.COLUMNS + " from " + partition + " order by initiator, ts");
                statement.setFetchSize(10_000);
                return statement;
            }, (rs, n) -> TrafficCounters.snapshot(rs))) {
                rows.forEachOrdered(snapshot -> {
                    if (!current.isEmpty() && current.get(0).initiator() != snapshot.initiator()) {
                        writeBlock(day, current, hadBlocks, totals);
                        current.clear();
                    }
                    current.add(snapshot);
                });
            }
            if (!current.isEmpty()) {
                writeBlock(day, current, hadBlocks, totals);
            }
            if (totals[0] == 0) {
                return new Compacted(day, 0, 0, 0);
            }
            jdbc.execute("truncate " + partition);
            jdbc.update("""
                    insert into traffic_compacted_day (day, samples, block_bytes) values (?, ?, ?)
                    on conflict (day) do update set compacted_at = now(),
                           samples = (select sum(samples) from traffic_block where day = excluded.day),
                           block_bytes = (select sum(octet_length(streams)) from traffic_block where day = excluded.day)
                    """, day, totals[0], totals[2]);
            return new Compacted(day, totals[0], (int) totals[1], totals[2]);
        });
    }

    private void writeBlock(LocalDate day, List<Snapshot> raw, boolean hadBlocks, long[] totals) {
        long initiator = raw.get(0).initiator();
        List<Snapshot> snapshots = raw;
        if (hadBlocks) {
            List<Snapshot> stored = jdbc.query("select streams, state_from, states from traffic_block "
                            + "where initiator = ? and day = ?",
                    (rs, n) -> CounterBlock.decode(initiator, rs.getBytes(1), TrafficCounters.integers(rs.getArray(2)),
                            TrafficCounters.strings(rs.getArray(3))), initiator, day)
                    .stream().flatMap(List::stream).toList();
            if (!stored.isEmpty()) {
                TreeMap<java.time.Instant, Snapshot> merged = new TreeMap<>();
                stored.forEach(s -> merged.put(s.ts(), s));
                raw.forEach(s -> merged.putIfAbsent(s.ts(), s));
                snapshots = new ArrayList<>(merged.values());
            }
        }
        CounterBlock.Encoded block = CounterBlock.encode(snapshots);
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    insert into traffic_block (initiator, day, samples, first_ts, last_ts, streams, state_from, states)
                    values (?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (initiator, day) do update set samples = excluded.samples,
                           first_ts = excluded.first_ts, last_ts = excluded.last_ts, streams = excluded.streams,
                           state_from = excluded.state_from, states = excluded.states
                    """);
            statement.setLong(1, initiator);
            statement.setObject(2, day);
            statement.setInt(3, block.samples());
            statement.setTimestamp(4, Timestamp.from(block.firstTs()));
            statement.setTimestamp(5, Timestamp.from(block.lastTs()));
            statement.setBytes(6, block.streams());
            statement.setArray(7, connection.createArrayOf("integer", block.stateFrom().toArray()));
            statement.setArray(8, connection.createArrayOf("text", block.states().toArray()));
            return statement;
        });
        totals[0] += raw.size();
        totals[1]++;
        totals[2] += block.streams().length;
    }

    /**
     * Which of the snapshots (by {@link TrafficIngestService#key}) are already kept in a block: only snapshots of
     * compacted days can be, so a batch of recent snapshots costs nothing here.
     */
    Set<String> storedInBlocks(List<Snapshot> snapshots) {
        LocalDate newest = newestClosedDay();
        Map<Long, Set<LocalDate>> candidates = new java.util.HashMap<>();
        for (Snapshot s : snapshots) {
            LocalDate day = LocalDate.ofInstant(s.ts(), ZoneOffset.UTC);
            if (!day.isAfter(newest)) {
                candidates.computeIfAbsent(s.initiator(), k -> new HashSet<>()).add(day);
            }
        }
        Set<String> stored = new HashSet<>();
        if (candidates.isEmpty()) {
            return stored;
        }
        Long[] initiators = candidates.keySet().toArray(Long[]::new);
        String[] days = candidates.values().stream().flatMap(Set::stream).distinct().map(LocalDate::toString)
                .toArray(String[]::new);
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("select initiator, day, streams, state_from, "
                    + "states from traffic_block where initiator = any (?) and day = any (?::date[])");
            statement.setArray(1, connection.createArrayOf("bigint", initiators));
            statement.setArray(2, connection.createArrayOf("text", days));
            return statement;
        }, rs -> {
            long initiator = rs.getLong(1);
            if (candidates.get(initiator).contains(rs.getObject(2, LocalDate.class))) {
                for (Snapshot s : CounterBlock.decode(initiator, rs.getBytes(3), TrafficCounters.integers(rs.getArray(4)),
                        TrafficCounters.strings(rs.getArray(5)))) {
                    stored.add(TrafficIngestService.key(s));
                }
            }
        });
        return stored;
    }

    /** Drops the blocks of days past the raw retention. */
    int dropExpired(LocalDate oldestKept) {
        int blocks = jdbc.update("delete from traffic_block where day < ?", oldestKept);
        jdbc.update("delete from traffic_compacted_day where day < ?", oldestKept);
        return blocks;
    }
}
