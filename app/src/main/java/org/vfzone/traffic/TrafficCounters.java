package org.vfzone.traffic;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.collector.FcCounter;

/**
 * Reads counter snapshots as stored — raw rows of recent hours and compacted blocks of older ones, an hour possibly
 * in both (late snapshots after compaction) — as one stream ordered by initiator and time, and derives each snapshot's
 * rates from the one before it ({@link Rates#between}, the only definition of a rate). Rollups and charts read
 * through here, so they never see which form a snapshot is kept in.
 */
@Component
public class TrafficCounters {

    static final String COLUMNS = "initiator, ts, "
            + String.join(", ", FcCounter.ALL.stream().map(FcCounter::fieldName).toList()) + ", port_state";
    private static final int FETCH_SIZE = 5_000;

    /** A snapshot and its rates since the snapshot before it (null: the first of a series, or after a gap). */
    public interface RateSink {
        void accept(Snapshot snapshot, Rates rates);
    }

    private final JdbcTemplate jdbc;
    private final TrafficProperties properties;
    private final TrafficSources sources;

    TrafficCounters(JdbcTemplate jdbc, TrafficProperties properties, TrafficSources sources) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.sources = sources;
    }

    /**
     * The snapshots of the initiators (every initiator when null) from {@code from} to before {@code to}, each with its
     * rates; the snapshot before {@code from} (up to the gap threshold earlier) is read for the first one's rates.
     */
    @Transactional(readOnly = true)
    public void rates(List<Long> initiators, Instant from, Instant to, RateSink sink) {
        Snapshot[] previous = new Snapshot[1];
        Map<Long, List<Instant>> switches = sources.switches(
                initiators == null ? null : initiators.toArray(Long[]::new), from.minus(properties.gap()), to);
        snapshots(initiators, from.minus(properties.gap()), to, snapshot -> {
            Snapshot before = previous[0] != null && previous[0].initiator() == snapshot.initiator()
                    && !switchedBetween(switches.get(snapshot.initiator()), previous[0].ts(), snapshot.ts())
                    ? previous[0] : null;
            previous[0] = snapshot;
            if (!snapshot.ts().isBefore(from)) {
                sink.accept(snapshot, Rates.between(before, snapshot, properties.gap()));
            }
        });
    }

    /** Whether the source changed after {@code before} and at or before {@code at}: two sources' counters differ. */
    private static boolean switchedBetween(List<Instant> switches, Instant before, Instant at) {
        if (switches == null) {
            return false;
        }
        for (Instant change : switches) {
            if (change.isAfter(before) && !change.isAfter(at)) {
                return true;
            }
        }
        return false;
    }

    /** The snapshots, ordered by initiator and time, raw and compacted merged (a snapshot in both counts once). */
    @Transactional(readOnly = true)
    public void snapshots(List<Long> initiators, Instant from, Instant to, Consumer<Snapshot> sink) {
        Long[] wanted = initiators == null ? null : initiators.stream().sorted().distinct().toArray(Long[]::new);
        String which = wanted == null ? "" : "initiator = any (?) and ";
        try (Stream<Snapshot> raw = jdbc.queryForStream(connection -> {
            PreparedStatement statement = connection.prepareStatement("select " + COLUMNS + " from traffic_sample where "
                    + which + "ts >= ? and ts < ? order by initiator, ts");
            statement.setFetchSize(FETCH_SIZE);
            int i = 1;
            if (wanted != null) {
                statement.setArray(i++, connection.createArrayOf("bigint", wanted));
            }
            statement.setTimestamp(i++, Timestamp.from(from));
            statement.setTimestamp(i, Timestamp.from(to));
            return statement;
        }, (rs, n) -> snapshot(rs));
             Stream<Snapshot> compacted = blocks(wanted, from, to)) {
            merge(raw.iterator(), compacted.iterator(), sink);
        }
    }

    private Stream<Snapshot> blocks(Long[] wanted, Instant from, Instant to) {
        if (!anyCompacted(from, to)) {
            return Stream.empty();
        }
        String which = wanted == null ? "" : "initiator = any (?) and ";
        return jdbc.queryForStream(connection -> {
            PreparedStatement statement = connection.prepareStatement("select initiator, streams, state_from, states "
                    + "from traffic_block where " + which + "hour >= ? and hour < ? and last_ts >= ? and first_ts < ? "
                    + "order by initiator, hour");
            statement.setFetchSize(64);
            int i = 1;
            if (wanted != null) {
                statement.setArray(i++, connection.createArrayOf("bigint", wanted));
            }
            statement.setTimestamp(i++, Timestamp.from(from.truncatedTo(ChronoUnit.HOURS)));
            statement.setTimestamp(i++, Timestamp.from(to));
            statement.setTimestamp(i++, Timestamp.from(from));
            statement.setTimestamp(i, Timestamp.from(to));
            return statement;
        }, (rs, n) -> block(rs, rs.getLong(1), 2)).flatMap(List::stream)
                .filter(s -> !s.ts().isBefore(from) && s.ts().isBefore(to));
    }

    /** Whether any hour of the range was compacted (no block to look for in the common, recent case). */
    private boolean anyCompacted(Instant from, Instant to) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from traffic_compacted_hour where hour >= ? and hour < ?)", Boolean.class,
                Timestamp.from(from.truncatedTo(ChronoUnit.HOURS)), Timestamp.from(to)));
    }

    private static void merge(Iterator<Snapshot> a, Iterator<Snapshot> b, Consumer<Snapshot> sink) {
        Snapshot nextA = a.hasNext() ? a.next() : null;
        Snapshot nextB = b.hasNext() ? b.next() : null;
        while (nextA != null || nextB != null) {
            int order = nextA == null ? 1 : nextB == null ? -1 : compare(nextA, nextB);
            if (order <= 0) {
                sink.accept(nextA);
                nextA = a.hasNext() ? a.next() : null;
                if (order == 0) {
                    nextB = b.hasNext() ? b.next() : null;
                }
            } else {
                sink.accept(nextB);
                nextB = b.hasNext() ? b.next() : null;
            }
        }
    }

    private static int compare(Snapshot x, Snapshot y) {
        int byInitiator = Long.compare(x.initiator(), y.initiator());
        return byInitiator != 0 ? byInitiator : x.ts().compareTo(y.ts());
    }

    static Snapshot snapshot(ResultSet rs) throws SQLException {
        Long[] counters = new Long[FcCounter.ALL.size()];
        for (int i = 0; i < counters.length; i++) {
            long value = rs.getLong(i + 3);
            counters[i] = rs.wasNull() ? null : value;
        }
        return new Snapshot(rs.getLong(1), rs.getTimestamp(2).toInstant(), counters, rs.getString(counters.length + 3));
    }

    /** The snapshots of a block read as its columns {@code streams, state_from, states}, from {@code column} on. */
    static List<Snapshot> block(ResultSet rs, long initiator, int column) throws SQLException {
        return CounterBlock.decode(initiator, rs.getBytes(column), integers(rs.getArray(column + 1)),
                strings(rs.getArray(column + 2)));
    }

    private static List<Integer> integers(Array array) throws SQLException {
        return array == null ? Collections.emptyList() : Arrays.asList((Integer[]) array.getArray());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? Collections.emptyList() : Arrays.asList((String[]) array.getArray());
    }

}
