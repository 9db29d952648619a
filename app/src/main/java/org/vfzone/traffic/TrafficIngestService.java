package org.vfzone.traffic;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
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
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.vfzone.wwn.Wwn;

/**
 * Stores counter snapshots and derives their rates. Per WWPN, a new snapshot's rates come from the snapshot just
 * before it — stored earlier or in the same batch — so out-of-order snapshots land in place, and a stored snapshot
 * that now follows a newly placed one gets its rates recomputed. Resending a batch stores nothing twice.
 *
 * <p>Two paths. The common case — a known WWPN whose snapshot is newer than the last one this node stored — is
 * streamed into a COPY while the rest of the batch is still being read, so PostgreSQL loads rows on its core while
 * this one parses. Everything else (first snapshot of a WWPN on this node, out of order, duplicates, unknown WWPNs,
 * a new day's partition) goes through the general path after the stream: one neighbour query for the batch, then
 * COPY. A streamed row that collides with one stored meanwhile (another node took the same snapshot) sends the
 * whole stream back through the general path.
 *
 * <p>Policy for bad lines: each is rejected with its line number and reason, the valid lines of the batch are
 * stored; nothing already stored is changed except rates that a newly placed snapshot corrects.
 */
@Service
public class TrafficIngestService {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TrafficIngestService.class);

    /** Groups stored as one batch (one COPY), as opposed to batch by batch. */
    private final java.util.concurrent.atomic.AtomicLong mergedGroups = new java.util.concurrent.atomic.AtomicLong();

    long mergedGroups() {
        return mergedGroups.get();
    }

    public record Rejection(int line, String reason) {
    }

    public record Result(int accepted, int duplicates, List<Rejection> rejected) {
    }

    private static final String COLUMNS = "initiator, ts, " + String.join(", ", SnapshotParser.COUNTERS)
            + ", port_state, interval_s, read_iops, write_iops, read_mbps, write_mbps, rx_fps, tx_fps, errors, "
            + "counter_reset";

    private static final long KNOWN_TTL_NANOS = 60_000_000_000L;
    /** Bound on the initiators remembered (about 300 bytes each). */
    private static final int MAX_REMEMBERED = 500_000;

    /**
     * What this node knows of one initiator: when the database last confirmed it is a known WWPN (collectors send
     * the same WWPNs every few seconds), and the newest snapshot this node stored for it (set after commit), the
     * predecessor of an in-order snapshot without a database read. With several app nodes taking turns for one
     * collector, a snapshot another node stored in between makes one interval longer (still a true average); keep
     * each collector on one node for exact per-interval rates.
     */
    private static final class Remembered {
        /** {@link System#nanoTime()} of the last confirmation; 0 when never confirmed. */
        volatile long knownAt;
        volatile Snapshot latest;

        boolean knownAfter(long nanos) {
            return knownAt != 0 && knownAt - nanos > 0;
        }

        synchronized void offer(Snapshot snapshot) {
            if (latest == null || snapshot.ts().isAfter(latest.ts())) {
                latest = snapshot;
            }
        }
    }

    /** One map for both facts, so the common case costs one lookup per snapshot. */
    private final ConcurrentHashMap<Long, Remembered> remembered = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final TrafficPartitions partitions;
    private final TrafficProperties properties;
    private final Clock clock;
    private final org.vfzone.wwn.WwnRegistry wwnRegistry;
    private final SnapshotParser parser;

    TrafficIngestService(JdbcTemplate jdbc, DataSource dataSource, TrafficPartitions partitions,
                         TrafficProperties properties, Clock clock, org.vfzone.wwn.WwnRegistry wwnRegistry,
                         SnapshotParser parser) {
        this.parser = parser;
        this.jdbc = jdbc;
        this.wwnRegistry = wwnRegistry;
        this.dataSource = dataSource;
        this.partitions = partitions;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Parses and stores a batch as it is read from the request; an unreadable body or an oversized batch is refused
     * whole (the transaction rolls back what was streamed).
     */
    @Transactional
    public Result ingest(InputStream body, String contentType) {
        return store(parser.parse(body, contentType));
    }

    /**
     * Stores several requests' batches in one transaction (group commit), each under its own savepoint: a batch refused
     * whole rolls back to its savepoint and the others stay. Answers, per batch, its {@link Result} or the exception
     * that refused it; nothing is acknowledged before the commit.
     */
    @Transactional
    public List<Object> storeGroup(List<List<SnapshotParser.Line>> batches) {
        // the transaction's connection: every statement of the group runs on it, so a JDBC savepoint bounds a batch
        java.sql.Connection connection = org.springframework.jdbc.datasource.DataSourceUtils.getConnection(dataSource);
        int total = batches.stream().mapToInt(List::size).sum();
        if (batches.size() > 1 && total <= properties.maxBatch()) {
            // the whole group as one batch: one COPY for all; each request's counts are taken from its own lines
            try {
                java.sql.Savepoint whole = connection.setSavepoint();
                List<Object> merged = null;
                try {
                    merged = storeMerged(batches);
                } catch (RuntimeException e) {
                    log.debug("A merged group was refused ({}); storing its batches one by one", e.getMessage());
                }
                if (merged != null) {
                    connection.releaseSavepoint(whole);
                    mergedGroups.incrementAndGet();
                    return merged;
                }
                connection.rollback(whole);
            } catch (SQLException e) {
                throw new org.springframework.dao.DataAccessResourceFailureException("cannot use a savepoint", e);
            }
        }
        List<Object> outcomes = new ArrayList<>(batches.size());
        for (List<SnapshotParser.Line> batch : batches) {
            java.sql.Savepoint savepoint;
            try {
                savepoint = connection.setSavepoint();
            } catch (SQLException e) {
                throw new org.springframework.dao.DataAccessResourceFailureException("cannot set a savepoint", e);
            }
            try {
                outcomes.add(store(batch));
                connection.releaseSavepoint(savepoint);
            } catch (RuntimeException e) {
                try {
                    connection.rollback(savepoint);
                } catch (SQLException rollback) {
                    throw new org.springframework.dao.DataAccessResourceFailureException("cannot roll back a batch",
                            rollback);
                }
                outcomes.add(e);
            } catch (SQLException e) {
                throw new org.springframework.dao.DataAccessResourceFailureException("cannot release a savepoint", e);
            }
        }
        return outcomes;
    }

    /**
     * Stores the batches as one, their lines numbered one after another, and answers each batch's own result: its
     * rejected lines, its duplicates and the rest stored. Null when the counts do not add up (then the caller stores
     * the batches one by one).
     */
    private List<Object> storeMerged(List<List<SnapshotParser.Line>> batches) {
        List<SnapshotParser.Line> merged = new ArrayList<>();
        int[] offsets = new int[batches.size() + 1];
        int offset = 0;
        for (int i = 0; i < batches.size(); i++) {
            offsets[i] = offset;
            int highest = 0;
            for (SnapshotParser.Line line : batches.get(i)) {
                merged.add(new SnapshotParser.Line(offset + line.number(), line.snapshot(), line.error()));
                highest = Math.max(highest, line.number());
            }
            offset += highest + 1;
        }
        offsets[batches.size()] = offset;
        java.util.BitSet duplicateLines = new java.util.BitSet();
        Result all = store(merged, Integer.MAX_VALUE, duplicateLines);
        List<Object> results = new ArrayList<>(batches.size());
        int accepted = 0;
        int duplicates = 0;
        for (int i = 0; i < batches.size(); i++) {
            int from = offsets[i];
            int to = offsets[i + 1];
            List<Rejection> rejected = all.rejected().stream().filter(r -> r.line() >= from && r.line() < to)
                    .map(r -> new Rejection(r.line() - from, r.reason())).toList();
            int dups = duplicateLines.get(from, to).cardinality();
            int stored = batches.get(i).size() - rejected.size() - dups;
            accepted += stored;
            duplicates += dups;
            results.add(new Result(stored, dups, rejected));
        }
        return accepted == all.accepted() && duplicates == all.duplicates() ? results : null;
    }

    /** Parses a batch read whole into its lines, before any database work (a refused body throws). */
    List<SnapshotParser.Line> parse(byte[] body, String contentType) {
        List<SnapshotParser.Line> lines = new ArrayList<>();
        int count = 0;
        for (SnapshotParser.Line line : parser.parse(body, contentType)) {
            if (++count > properties.maxBatch()) {
                throw new IllegalArgumentException("the batch has more than " + properties.maxBatch()
                        + " snapshots; at most " + properties.maxBatch() + " are accepted per request");
            }
            lines.add(line);
        }
        return lines;
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

    /** Microseconds since the epoch, as the database keeps a timestamp. */
    private static long epoch(Instant ts) {
        return ts.getEpochSecond() * 1_000_000L + ts.getNano() / 1000;
    }

    /** A snapshot with the rates derived for it (null for the first of a series or after a gap). */
    private record Row(Snapshot snapshot, Rates rates) {
    }

    /** What the general path did. */
    private static final class Tally {
        int inserted;
        int duplicates;
    }

    private Result store(Iterable<SnapshotParser.Line> lines) {
        return store(lines, properties.maxBatch(), new java.util.BitSet());
    }

    /**
     * Stores the lines; {@code duplicateLines} gets the number of each line that was a duplicate (already stored, or
     * twice in the lines), so a merged group can give each request its own counts.
     */
    private Result store(Iterable<SnapshotParser.Line> lines, int maxLines, java.util.BitSet duplicateLines) {
        Instant now = clock.instant();
        List<Rejection> rejected = new ArrayList<>();
        List<SnapshotParser.Line> general = new ArrayList<>();
        List<SnapshotParser.Line> streamedLines = new ArrayList<>();
        Map<Long, Snapshot> streamedNewest = new HashMap<>();
        Set<Long> generalInitiators = new HashSet<>();
        long knownAfter = System.nanoTime() - KNOWN_TTL_NANOS;
        Window window = new Window(now, now.plus(properties.maxFuture()), now.minus(properties.rawRetention()));
        long dayWithPartition = Long.MIN_VALUE;
        int count = 0;
        int streamed;
        try (RowStream stream = new RowStream("traffic_sample")) {
            for (SnapshotParser.Line line : lines) {
                if (++count > maxLines) {
                    throw new IllegalArgumentException("the batch has more than " + properties.maxBatch()
                            + " snapshots; at most " + properties.maxBatch() + " are accepted per request");
                }
                if (line.error() != null) {
                    rejected.add(new Rejection(line.number(), line.error()));
                    continue;
                }
                Snapshot s = line.snapshot();
                Long initiator = s.initiator(); // boxed once for the lookups below
                Remembered known = remembered.get(initiator);
                Snapshot previous = known == null || generalInitiators.contains(initiator) ? null
                        : streamedNewest.getOrDefault(initiator, known.latest);
                boolean knownRecently = known != null && known.knownAfter(knownAfter);
                String outside = knownRecently ? window.refuse(s) : null;
                long epochDay = Math.floorDiv(s.ts().getEpochSecond(), 86_400L);
                if (outside != null) {
                    rejected.add(new Rejection(line.number(), outside));
                } else if (!knownRecently || previous == null || !previous.ts().isBefore(s.ts())
                        || (epochDay != dayWithPartition && !partitions.hasDay(LocalDate.ofEpochDay(epochDay)))) {
                    general.add(line);
                    generalInitiators.add(initiator);
                } else {
                    dayWithPartition = epochDay;
                    stream.add(new Row(s, Rates.between(previous, s, properties.gap())));
                    streamedNewest.put(initiator, s);
                    streamedLines.add(line);
                }
            }
            streamed = stream.finish();
        }
        if (streamed < 0) {
            general.addAll(streamedLines);
            streamedNewest.clear();
            streamed = 0;
        }
        // the general path reads each initiator's streamed newest before it merges its own into the same map
        Map<Long, Snapshot> newest = streamedNewest;
        Tally tally = storeInPlace(general, streamedNewest, window, rejected, newest, duplicateLines);
        rejected.sort(Comparator.comparingInt(Rejection::line));
        rememberAfterCommit(newest);
        return new Result(streamed + tally.inserted, tally.duplicates, rejected);
    }

    /** The times a snapshot may have: not ahead of the server clock (beyond skew), not past the raw retention. */
    private record Window(Instant now, Instant newest, Instant oldest) {

        /** Why the snapshot's time is refused, or null. */
        String refuse(Snapshot s) {
            if (s.ts().isAfter(newest)) {
                return "timestamp " + s.ts() + " is in the future (server time " + now + ")";
            }
            if (s.ts().isBefore(oldest)) {
                return "timestamp " + s.ts() + " is older than the raw retention of "
                        + Duration.between(oldest, now).toDays() + " days";
            }
            return null;
        }
    }

    private static LocalDate day(Instant ts) {
        return LocalDate.ofInstant(ts, ZoneOffset.UTC);
    }

    /**
     * The general path: snapshots grouped per initiator and placed among the stored ones around them, read in one
     * query for the batch; stored successors of a newly placed snapshot get their rates corrected.
     */
    private Tally storeInPlace(List<SnapshotParser.Line> lines, Map<Long, Snapshot> streamedNewest, Window window,
                               List<Rejection> rejected, Map<Long, Snapshot> newest, java.util.BitSet duplicateLines) {
        java.util.IdentityHashMap<Snapshot, Integer> lineOf = new java.util.IdentityHashMap<>();
        Tally tally = new Tally();
        if (lines.isEmpty()) {
            return tally;
        }
        Set<Long> known = knownInitiators(lines.stream().map(l -> l.snapshot().initiator()).distinct().toList());
        Map<Long, TreeMap<Instant, Snapshot>> incoming = new LinkedHashMap<>();
        for (SnapshotParser.Line line : lines) {
            Snapshot s = line.snapshot();
            String outside = window.refuse(s);
            if (!known.contains(s.initiator())) {
                rejected.add(new Rejection(line.number(), "wwpn " + new Wwn(s.initiator())
                        + " is not a VM or adapter WWPN known to vfzone"));
            } else if (outside != null) {
                rejected.add(new Rejection(line.number(), outside));
            } else if (incoming.computeIfAbsent(s.initiator(), k -> new TreeMap<>()).putIfAbsent(s.ts(), s) != null) {
                tally.duplicates++;
                duplicateLines.set(line.number());
            } else {
                lineOf.put(s, line.number());
            }
        }
        if (incoming.isEmpty()) {
            return tally;
        }
        incoming.values().stream().flatMap(m -> m.keySet().stream()).map(TrafficIngestService::day).distinct()
                .forEach(partitions::ensureDay);

        Map<Long, TreeMap<Instant, Snapshot>> lookup = new LinkedHashMap<>();
        Map<Long, TreeMap<Instant, Stored>> stored = new HashMap<>();
        for (Map.Entry<Long, TreeMap<Instant, Snapshot>> entry : incoming.entrySet()) {
            Remembered memory = remembered.get(entry.getKey());
            Snapshot last = streamedNewest.getOrDefault(entry.getKey(), memory == null ? null : memory.latest);
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
        List<Row> rows = new ArrayList<>();
        List<Object[]> corrections = new ArrayList<>();
        for (Map.Entry<Long, TreeMap<Instant, Snapshot>> entry : incoming.entrySet()) {
            TreeMap<Instant, Stored> existing = stored.getOrDefault(entry.getKey(), new TreeMap<>());
            TreeMap<Instant, Snapshot> timeline = new TreeMap<>();
            existing.forEach((ts, s) -> timeline.put(ts, s.snapshot()));
            for (Snapshot s : entry.getValue().values()) {
                if (existing.containsKey(s.ts())) {
                    tally.duplicates++;
                    duplicateLines.set(lineOf.get(s));
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
                    rows.add(new Row(s, rates));
                    afterNew = true;
                } else if (afterNew && !Objects.equals(old.intervalS(), rates == null ? null : rates.intervalS())) {
                    // a snapshot placed before this stored one changes the interval it ends
                    corrections.add(correction(s, rates));
                }
                previous = s;
            }
            newest.merge(entry.getKey(), entry.getValue().lastEntry().getValue(),
                    (a, b) -> a.ts().isAfter(b.ts()) ? a : b);
        }
        tally.inserted = insert(rows, row -> duplicateLines.set(lineOf.get(row.snapshot())));
        tally.duplicates += rows.size() - tally.inserted;
        if (!corrections.isEmpty()) {
            jdbc.batchUpdate("""
                    update traffic_sample set interval_s = ?, read_iops = ?, write_iops = ?, read_mbps = ?,
                           write_mbps = ?, rx_fps = ?, tx_fps = ?, errors = ?, counter_reset = ?
                     where initiator = ? and ts = ?
                    """, corrections);
        }
        return tally;
    }

    private void rememberAfterCommit(Map<Long, Snapshot> newest) {
        Runnable remember = () -> {
            if (remembered.size() > MAX_REMEMBERED) {
                remembered.clear();
            }
            newest.forEach((initiator, snapshot) -> {
                Remembered known = remembered.get(initiator);
                if (known == null) {
                    known = remembered.computeIfAbsent(initiator, k -> new Remembered());
                }
                known.offer(snapshot);
            });
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
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
            Remembered seen = remembered.get(initiator);
            if (seen != null && seen.knownAfter(now - KNOWN_TTL_NANOS)) {
                known.add(initiator);
            } else {
                ask.add(initiator);
            }
        }
        if (!ask.isEmpty()) {
            for (Long initiator : wwnRegistry.portWwnsAmong(ask)) {
                known.add(initiator);
                remembered.computeIfAbsent(initiator, k -> new Remembered()).knownAt = now;
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
        Long[] counters = new Long[SnapshotParser.COUNTERS.size()];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = lng(rs, SnapshotParser.COUNTERS.get(i));
        }
        return new Snapshot(rs.getLong("initiator"), rs.getTimestamp("ts").toInstant(), counters,
                rs.getString("port_state"));
    }

    private static Long lng(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Object[] correction(Snapshot s, Rates r) {
        return new Object[] {r == null ? null : r.intervalS(), r == null ? null : r.readIops(),
                r == null ? null : r.writeIops(), r == null ? null : r.readMbps(), r == null ? null : r.writeMbps(),
                r == null ? null : r.rxFps(), r == null ? null : r.txFps(), r == null ? null : r.errors(),
                r != null && r.counterReset(), s.initiator(), Timestamp.from(s.ts())};
    }

    /**
     * COPY straight into the table; when that collides with rows already stored (a batch sent again, or another
     * node storing the same snapshot meanwhile), go through a staging table with {@code ON CONFLICT DO NOTHING}.
     */
    /** Inserts the rows; {@code duplicate} hears of each row that was already stored. */
    private int insert(List<Row> rows, java.util.function.Consumer<Row> duplicate) {
        if (rows.isEmpty()) {
            return 0;
        }
        try (RowStream direct = new RowStream("traffic_sample")) {
            rows.forEach(direct::add);
            int copied = direct.finish();
            if (copied >= 0) {
                return copied;
            }
        }
        jdbc.execute("create temp table if not exists traffic_staging (like traffic_sample including defaults) "
                + "on commit delete rows");
        try (RowStream staging = new RowStream("traffic_staging")) {
            rows.forEach(staging::add);
            staging.finish();
        }
        Set<String> inserted = new HashSet<>(jdbc.queryForList("insert into traffic_sample (" + COLUMNS + ") select "
                + COLUMNS + " from traffic_staging on conflict (initiator, ts) do nothing "
                + "returning initiator || '@' || (extract(epoch from ts) * 1000000)::bigint", String.class));
        for (Row row : rows) {
            if (!inserted.contains(row.snapshot().initiator() + "@" + epoch(row.snapshot().ts()))) {
                duplicate.accept(row);
            }
        }
        return inserted.size();
    }

    /**
     * Rows written to a COPY as they come, in chunks, on the transaction's connection behind a savepoint: the COPY
     * starts with the first chunk and PostgreSQL loads it while the caller prepares the next. Nothing else may use
     * the connection until {@link #finish()}. Closed without finishing, it rolls back to its savepoint.
     */
    private final class RowStream implements AutoCloseable {

        private static final int CHUNK_CHARS = 64 * 1024;

        private final String table;
        private final StringBuilder chunk = new StringBuilder(CHUNK_CHARS + 1024);
        private final CopyText.Timestamps timestamps = new CopyText.Timestamps();
        private Connection connection;
        private Savepoint savepoint;
        private CopyIn copy;
        /** The first failed write; later rows are dropped and {@link #finish()} reports it. */
        private SQLException failure;
        private boolean finished;

        RowStream(String table) {
            this.table = table;
        }

        void add(Row row) {
            if (failure != null) {
                return;
            }
            appendRow(chunk, row.snapshot(), row.rates(), timestamps);
            if (chunk.length() >= CHUNK_CHARS) {
                flush();
            }
        }

        /** Ends the COPY: the rows stored, or -1 when a row collided with a stored one and nothing was kept. */
        int finish() {
            finished = true;
            if (chunk.length() > 0) {
                flush();
            }
            if (copy == null) {
                if (failure != null) {
                    throw new IllegalStateException("bulk load of traffic samples failed: " + failure.getMessage(),
                            failure);
                }
                return 0;
            }
            try {
                if (failure == null) {
                    long copied = copy.endCopy();
                    connection.releaseSavepoint(savepoint);
                    return (int) copied;
                }
            } catch (SQLException e) {
                failure = e;
            }
            rollBack();
            if (!"23505".equals(failure.getSQLState())) {
                throw new IllegalStateException("bulk load of traffic samples failed: " + failure.getMessage(),
                        failure);
            }
            return -1;
        }

        private void flush() {
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            chunk.setLength(0);
            try {
                if (copy == null) {
                    connection = DataSourceUtils.getConnection(dataSource);
                    savepoint = connection.setSavepoint();
                    copy = connection.unwrap(PGConnection.class).getCopyAPI()
                            .copyIn("copy " + table + " (" + COLUMNS + ") from stdin");
                }
                copy.writeToCopy(bytes, 0, bytes.length);
            } catch (SQLException e) {
                failure = e;
            }
        }

        private void rollBack() {
            try {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            } catch (SQLException ignored) {
                // the COPY already failed on the server; the savepoint rollback below ends it
            }
            try {
                connection.rollback(savepoint);
            } catch (SQLException e) {
                throw new IllegalStateException("bulk load of traffic samples failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                if (copy != null && !finished) {
                    rollBack();
                }
            } finally {
                if (connection != null) {
                    DataSourceUtils.releaseConnection(connection, dataSource);
                }
            }
        }
    }

    /** One row in PostgreSQL's COPY text format. */
    private static void appendRow(StringBuilder text, Snapshot s, Rates r, CopyText.Timestamps timestamps) {
        text.append(s.initiator()).append('\t');
        timestamps.append(text, s.ts());
        for (Long counter : s.counters()) {
            CopyText.field(text, counter);
        }
        CopyText.field(text, s.portState());
        if (r == null) {
            text.append("\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\tfalse\n");
            return;
        }
        text.append('\t');
        CopyText.appendFloat(text, r.intervalS());
        CopyText.field(text, r.readIops());
        CopyText.field(text, r.writeIops());
        CopyText.field(text, r.readMbps());
        CopyText.field(text, r.writeMbps());
        CopyText.field(text, r.rxFps());
        CopyText.field(text, r.txFps());
        if (r.errors() == null) {
            text.append("\t\\N");
        } else {
            text.append('\t').append(r.errors().intValue());
        }
        text.append('\t').append(r.counterReset()).append('\n');
    }
}
