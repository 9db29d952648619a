package org.vfzone.traffic;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.wwn.Wwn;

/**
 * Stores counter snapshots and derives their rates. Per WWPN, a new snapshot's rates come from the snapshot just
 * before it — stored earlier or in the same batch — so out-of-order snapshots land in place, and a stored snapshot
 * that now follows a newly placed one gets its rates recomputed. Rows are bulk-loaded with COPY into a staging
 * table and inserted with {@code ON CONFLICT DO NOTHING}: resending a batch stores nothing twice.
 *
 * <p>Policy for bad lines: each is rejected with its line number and reason, the valid lines of the batch are
 * stored; nothing already stored is changed except rates that a newly placed snapshot corrects.
 */
@Service
public class TrafficIngestService {

    public record Rejection(int line, String reason) {
    }

    public record Result(int accepted, int duplicates, List<Rejection> rejected) {
    }

    private static final String COLUMNS = "initiator, ts, fcp_input_requests, fcp_output_requests, "
            + "fcp_input_megabytes, fcp_output_megabytes, tx_frames, rx_frames, tx_words, rx_words, error_frames, "
            + "link_failure_count, loss_of_sync_count, loss_of_signal_count, invalid_crc_count, dumped_frames, "
            + "seconds_since_last_reset, port_state, interval_s, read_iops, write_iops, read_mbps, write_mbps, "
            + "rx_fps, tx_fps, errors, counter_reset";

    private static final long KNOWN_TTL_NANOS = 60_000_000_000L;
    /** Bound on the remembered last snapshots (about 250 bytes each). */
    private static final int MAX_LATEST = 500_000;

    /**
     * The newest snapshot this node stored per initiator (updated after commit): the predecessor of an in-order
     * snapshot without a database read. With several app nodes taking turns for one collector, a snapshot another
     * node stored in between makes one interval longer (still a true average); keep each collector on one node for
     * exact per-interval rates.
     */
    private final java.util.concurrent.ConcurrentHashMap<Long, Snapshot> latest = new java.util.concurrent.ConcurrentHashMap<>();

    private final java.util.concurrent.ConcurrentHashMap<Long, Long> knownSince = new java.util.concurrent.ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final TrafficPartitions partitions;
    private final TrafficProperties properties;
    private final Clock clock;

    TrafficIngestService(JdbcTemplate jdbc, DataSource dataSource, TrafficPartitions partitions,
                         TrafficProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.partitions = partitions;
        this.properties = properties;
        this.clock = clock;
    }

    /** Parses and stores a batch; an unreadable body or an oversized batch is refused whole. */
    @Transactional
    public Result ingest(String body, String contentType) {
        return store(SnapshotParser.parse(body, contentType));
    }

    /** Stores snapshots produced inside vfzone (the demo generator), through the same checks. */
    @Transactional
    public Result ingest(List<Snapshot> snapshots) {
        List<SnapshotParser.Line> lines = new ArrayList<>(snapshots.size());
        for (int i = 0; i < snapshots.size(); i++) {
            lines.add(new SnapshotParser.Line(i + 1, snapshots.get(i), null));
        }
        return store(lines);
    }

    private Result store(List<SnapshotParser.Line> lines) {
        if (lines.size() > properties.maxBatch()) {
            throw new IllegalArgumentException("the batch has " + lines.size() + " snapshots; at most "
                    + properties.maxBatch() + " are accepted per request");
        }
        List<Rejection> rejected = new ArrayList<>();
        List<SnapshotParser.Line> parsed = new ArrayList<>();
        for (SnapshotParser.Line line : lines) {
            if (line.error() != null) {
                rejected.add(new Rejection(line.number(), line.error()));
            } else {
                parsed.add(line);
            }
        }
        Set<Long> known = knownInitiators(parsed.stream().map(l -> l.snapshot().initiator()).distinct().toList());
        Instant now = clock.instant();
        Instant newest = now.plus(properties.maxFuture());
        Instant oldest = now.minus(properties.rawRetention());
        Map<Long, TreeMap<Instant, Snapshot>> incoming = new LinkedHashMap<>();
        int duplicates = 0;
        for (SnapshotParser.Line line : parsed) {
            Snapshot s = line.snapshot();
            if (!known.contains(s.initiator())) {
                rejected.add(new Rejection(line.number(), "wwpn " + new Wwn(s.initiator())
                        + " is not a VM or adapter WWPN known to vfzone"));
            } else if (s.ts().isAfter(newest)) {
                rejected.add(new Rejection(line.number(), "timestamp " + s.ts() + " is in the future (server time "
                        + now + ")"));
            } else if (s.ts().isBefore(oldest)) {
                rejected.add(new Rejection(line.number(), "timestamp " + s.ts() + " is older than the raw retention of "
                        + properties.rawRetention().toDays() + " days"));
            } else if (incoming.computeIfAbsent(s.initiator(), k -> new TreeMap<>()).putIfAbsent(s.ts(), s) != null) {
                duplicates++;
            }
        }
        rejected.sort(Comparator.comparingInt(Rejection::line));
        if (incoming.isEmpty()) {
            return new Result(0, duplicates, rejected);
        }
        incoming.values().stream().flatMap(m -> m.keySet().stream())
                .map(ts -> LocalDate.ofInstant(ts, ZoneOffset.UTC)).distinct().forEach(partitions::ensureDay);

        Map<Long, TreeMap<Instant, Snapshot>> lookup = new LinkedHashMap<>();
        Map<Long, TreeMap<Instant, Stored>> stored = new HashMap<>();
        for (Map.Entry<Long, TreeMap<Instant, Snapshot>> entry : incoming.entrySet()) {
            Snapshot last = latest.get(entry.getKey());
            if (last != null && last.ts().isBefore(entry.getValue().firstKey())) {
                TreeMap<Instant, Stored> previous = new TreeMap<>();
                previous.put(last.ts(), new Stored(last, null));
                stored.put(entry.getKey(), previous);
            } else {
                lookup.put(entry.getKey(), entry.getValue());
            }
        }
        if (!lookup.isEmpty()) {
            stored.putAll(neighbours(lookup));
        }
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> corrections = new ArrayList<>();
        for (Map.Entry<Long, TreeMap<Instant, Snapshot>> entry : incoming.entrySet()) {
            TreeMap<Instant, Stored> existing = stored.getOrDefault(entry.getKey(), new TreeMap<>());
            TreeMap<Instant, Snapshot> timeline = new TreeMap<>();
            existing.forEach((ts, s) -> timeline.put(ts, s.snapshot()));
            for (Snapshot s : entry.getValue().values()) {
                if (existing.containsKey(s.ts())) {
                    duplicates++;
                } else {
                    timeline.put(s.ts(), s);
                }
            }
            Snapshot previous = null;
            boolean afterNew = false;
            for (Snapshot s : timeline.values()) {
                Rates rates = Rates.between(previous, s, properties.gap());
                Stored old = existing.get(s.ts());
                if (old == null) {
                    rows.add(row(s, rates));
                    afterNew = true;
                } else if (afterNew
                        && !java.util.Objects.equals(old.intervalS(), rates == null ? null : rates.intervalS())) {
                    // a snapshot placed before this stored one changes the interval it ends
                    corrections.add(correction(s, rates));
                }
                previous = s;
            }
        }
        int inserted = insert(rows);
        rememberAfterCommit(incoming);
        if (!corrections.isEmpty()) {
            jdbc.batchUpdate("""
                    update traffic_sample set interval_s = ?, read_iops = ?, write_iops = ?, read_mbps = ?,
                           write_mbps = ?, rx_fps = ?, tx_fps = ?, errors = ?, counter_reset = ?
                     where initiator = ? and ts = ?
                    """, corrections);
        }
        return new Result(inserted, duplicates + (rows.size() - inserted), rejected);
    }

    private void rememberAfterCommit(Map<Long, TreeMap<Instant, Snapshot>> incoming) {
        Map<Long, Snapshot> newest = new HashMap<>();
        incoming.forEach((initiator, snapshots) -> newest.put(initiator, snapshots.lastEntry().getValue()));
        Runnable remember = () -> {
            if (latest.size() > MAX_LATEST) {
                latest.clear();
            }
            newest.forEach((initiator, snapshot) -> latest.merge(initiator, snapshot,
                    (old, candidate) -> candidate.ts().isAfter(old.ts()) ? candidate : old));
        };
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            remember.run();
                        }
                    });
        } else {
            remember.run();
        }
    }

    /**
     * The WWPNs of VMs (active and standby) and of physical ports: the initiators vfzone knows. Known ones are
     * remembered for a minute (collectors send the same WWPNs every few seconds); unknown ones are always asked.
     */
    private Set<Long> knownInitiators(List<Long> initiators) {
        long now = System.nanoTime();
        Set<Long> known = new HashSet<>();
        List<Long> ask = new ArrayList<>();
        for (Long initiator : initiators) {
            Long seen = knownSince.get(initiator);
            if (seen != null && now - seen < KNOWN_TTL_NANOS) {
                known.add(initiator);
            } else {
                ask.add(initiator);
            }
        }
        if (!ask.isEmpty()) {
            String[] wwns = ask.stream().map(i -> new Wwn(i).toString()).toArray(String[]::new);
            for (Long initiator : jdbc.queryForList("""
                    select wwn_to_int8(wwn) from wwn_registry
                     where wwn = any (?::varchar[]) and owner_column in ('wwpn', 'active_wwpn', 'standby_wwpn')
                    """, Long.class, (Object) wwns)) {
                known.add(initiator);
                knownSince.put(initiator, now);
            }
        }
        return known;
    }

    private record Stored(Snapshot snapshot, Float intervalS) {
    }

    /**
     * Stored snapshots around each initiator's new ones: the predecessor, any interleaved, and the successor. One
     * query for the whole batch (the primary key index serves {@code initiator = any(...)} with a time range).
     */
    private Map<Long, TreeMap<Instant, Stored>> neighbours(Map<Long, TreeMap<Instant, Snapshot>> incoming) {
        Map<Long, TreeMap<Instant, Stored>> result = new HashMap<>();
        Instant from = incoming.values().stream().map(TreeMap::firstKey).min(Instant::compareTo).orElseThrow()
                .minus(properties.gap());
        Instant to = incoming.values().stream().map(TreeMap::lastKey).max(Instant::compareTo).orElseThrow()
                .plus(properties.gap());
        jdbc.query("select " + COLUMNS + " from traffic_sample where initiator = any (?) and ts >= ? and ts <= ?",
                (ResultSet rs) -> {
                    Snapshot s = snapshot(rs);
                    result.computeIfAbsent(s.initiator(), k -> new TreeMap<>())
                            .put(s.ts(), new Stored(s, (Float) rs.getObject("interval_s", Float.class)));
                }, incoming.keySet().toArray(Long[]::new), Timestamp.from(from), Timestamp.from(to));
        // keep only the nearest stored snapshot outside the new range on each side
        for (Map.Entry<Long, TreeMap<Instant, Stored>> entry : result.entrySet()) {
            TreeMap<Instant, Snapshot> mine = incoming.get(entry.getKey());
            TreeMap<Instant, Stored> stored = entry.getValue();
            Instant before = stored.lowerKey(mine.firstKey());
            Instant after = stored.higherKey(mine.lastKey());
            stored.headMap(before == null ? mine.firstKey() : before, false).clear();
            if (after != null) {
                stored.tailMap(after, false).clear();
            }
        }
        return result;
    }

    private static Snapshot snapshot(ResultSet rs) throws SQLException {
        return new Snapshot(rs.getLong("initiator"), rs.getTimestamp("ts").toInstant(), lng(rs, 3), lng(rs, 4),
                lng(rs, 5), lng(rs, 6), lng(rs, 7), lng(rs, 8), lng(rs, 9), lng(rs, 10), lng(rs, 11), lng(rs, 12),
                lng(rs, 13), lng(rs, 14), lng(rs, 15), lng(rs, 16), lng(rs, 17), rs.getString(18));
    }

    private static Long lng(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Object[] row(Snapshot s, Rates r) {
        return new Object[] {s.initiator(), s.ts(), s.fcpInputRequests(), s.fcpOutputRequests(),
                s.fcpInputMegabytes(), s.fcpOutputMegabytes(), s.txFrames(), s.rxFrames(), s.txWords(), s.rxWords(),
                s.errorFrames(), s.linkFailureCount(), s.lossOfSyncCount(), s.lossOfSignalCount(), s.invalidCrcCount(),
                s.dumpedFrames(), s.secondsSinceLastReset(), s.portState(),
                r == null ? null : r.intervalS(), r == null ? null : r.readIops(), r == null ? null : r.writeIops(),
                r == null ? null : r.readMbps(), r == null ? null : r.writeMbps(), r == null ? null : r.rxFps(),
                r == null ? null : r.txFps(), r == null ? null : r.errors(), r != null && r.counterReset()};
    }

    private static Object[] correction(Snapshot s, Rates r) {
        return new Object[] {r == null ? null : r.intervalS(), r == null ? null : r.readIops(),
                r == null ? null : r.writeIops(), r == null ? null : r.readMbps(), r == null ? null : r.writeMbps(),
                r == null ? null : r.rxFps(), r == null ? null : r.txFps(), r == null ? null : r.errors(),
                r != null && r.counterReset(), s.initiator(), Timestamp.from(s.ts())};
    }

    /**
     * COPY straight into the table; when that collides with rows already stored (a batch sent again, or another
     * node storing the same snapshot meanwhile), roll back to a savepoint and go through a staging table with
     * {@code ON CONFLICT DO NOTHING}.
     */
    private int insert(List<Object[]> rows) {
        String text = copyText(rows);
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            java.sql.Savepoint savepoint = connection.setSavepoint();
            try {
                long copied = connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("copy traffic_sample (" + COLUMNS + ") from stdin", new StringReader(text));
                connection.releaseSavepoint(savepoint);
                return (int) copied;
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                connection.rollback(savepoint);
            }
            jdbc.execute("create temp table if not exists traffic_staging (like traffic_sample including defaults) "
                    + "on commit delete rows");
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy traffic_staging (" + COLUMNS + ") from stdin", new StringReader(text));
            return jdbc.update("insert into traffic_sample (" + COLUMNS + ") select " + COLUMNS
                    + " from traffic_staging on conflict (initiator, ts) do nothing");
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("bulk load of traffic samples failed: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** Rows in PostgreSQL's COPY text format. */
    private static String copyText(List<Object[]> rows) {
        StringBuilder text = new StringBuilder(rows.size() * 160);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                Object value = row[i];
                if (value == null) {
                    text.append("\\N");
                } else if (value instanceof Instant instant) {
                    text.append(instant);
                } else if (value instanceof String string) {
                    text.append(string.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"));
                } else {
                    text.append(value);
                }
            }
            text.append('\n');
        }
        return text.toString();
    }
}
