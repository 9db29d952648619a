package org.vfzone.traffic;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnRegistry;

/**
 * Stores counter snapshots as the HBA reported them; rates are derived when read ({@link TrafficCounters}), so a
 * snapshot arriving late or out of order is simply stored — nothing stored is ever rewritten. One path for every
 * batch: check the lines, then one COPY; when that collides with snapshots already stored (a batch sent again, or
 * another node storing the same snapshot meanwhile) the batch goes through a staging table and the collisions are
 * counted as duplicates. Resending a batch stores nothing twice, also for a day already compacted into blocks.
 *
 * <p>Policy for bad lines: each is rejected with its line number and reason, the valid lines of the batch are
 * stored.
 */
@Service
public class TrafficIngestService {

    private static final Logger log = LoggerFactory.getLogger(TrafficIngestService.class);

    /** Groups stored as one batch (one COPY), as opposed to batch by batch. */
    private final AtomicLong mergedGroups = new AtomicLong();
    /** Batches stored while they were parsed. */
    private final AtomicLong streamedBatches = new AtomicLong();

    long mergedGroups() {
        return mergedGroups.get();
    }

    long streamedBatches() {
        return streamedBatches.get();
    }

    public record Rejection(int line, String reason) {
    }

    public record Result(int accepted, int duplicates, List<Rejection> rejected) {
    }

    private static final String COLUMNS = TrafficCounters.COLUMNS;

    /**
     * WWPNs the database confirmed as known (collectors send the same ones every few seconds), with when; unknown
     * ones are always asked. Bounded: entries are only kept for the minute they are trusted.
     */
    private final Cache<Long, Boolean> knownInitiators =
            Caffeine.newBuilder().maximumSize(500_000)
                    .expireAfterWrite(Duration.ofMinutes(1)).build();

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final TrafficPartitions partitions;
    private final TrafficProperties properties;
    private final Clock clock;
    private final WwnRegistry wwnRegistry;
    private final TrafficCompaction compaction;
    private final TrafficSources sources;
    /**
     * A group's transaction: plain JDBC, all its work is (the JPA transaction manager's session and bookkeeping were a
     * fifth of the writer's CPU time). Joins a transaction already open on the thread, as {@code @Transactional} would.
     */
    private final TransactionTemplate groupTransactions;

    TrafficIngestService(JdbcTemplate jdbc, DataSource dataSource, TrafficPartitions partitions,
                         TrafficProperties properties, Clock clock, WwnRegistry wwnRegistry,
                         TrafficCompaction compaction, TrafficSources sources) {
        this.sources = sources;
        this.groupTransactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.jdbc = jdbc;
        this.wwnRegistry = wwnRegistry;
        this.dataSource = dataSource;
        this.partitions = partitions;
        this.properties = properties;
        this.clock = clock;
        this.compaction = compaction;
    }

    /**
     * Stores several requests' batches in one transaction (group commit): first all of them as one batch; when that
     * is refused, in a new transaction each under its own savepoint, so a batch refused whole rolls back to its
     * savepoint and the others stay. Answers, per batch, its {@link Result} or the exception that refused it; nothing
     * is acknowledged before the commit. Called by the group commit's writers, outside any transaction.
     */
    public List<Object> storeGroup(List<List<SnapshotParser.Line>> batches) {
        int total = batches.stream().mapToInt(List::size).sum();
        if (batches.size() > 1 && total <= properties.maxBatch()) {
            // the whole group as one batch: one COPY for all; each request's counts are taken from its own lines. No
            // savepoint: if it is refused, the transaction is rolled back whole and the batches go one by one
            try {
                List<Object> merged = groupTransactions.execute(status -> {
                    List<Object> outcomes = storeMerged(batches);
                    if (outcomes == null) {
                        status.setRollbackOnly();
                    }
                    return outcomes;
                });
                if (merged != null) {
                    mergedGroups.incrementAndGet();
                    return merged;
                }
            } catch (RuntimeException e) {
                log.debug("A merged group was refused ({}); storing its batches one by one", e.getMessage());
            }
        }
        return groupTransactions.execute(status -> storeEach(batches, status));
    }

    private List<Object> storeEach(List<List<SnapshotParser.Line>> batches, TransactionStatus status) {
        if (batches.size() == 1) {
            // alone in its transaction: refused, it rolls the transaction back, with no savepoint to set first
            try {
                return List.of(store(batches.get(0)));
            } catch (RuntimeException e) {
                status.setRollbackOnly();
                return List.of(e);
            }
        }
        // the transaction's connection: every statement of the group runs on it, so a JDBC savepoint bounds a batch
        Connection connection = DataSourceUtils.getConnection(dataSource);
        List<Object> outcomes = new ArrayList<>(batches.size());
        for (List<SnapshotParser.Line> batch : batches) {
            Savepoint savepoint;
            try {
                savepoint = connection.setSavepoint();
            } catch (SQLException e) {
                throw new DataAccessResourceFailureException("cannot set a savepoint", e);
            }
            try {
                outcomes.add(store(batch));
                connection.releaseSavepoint(savepoint);
            } catch (RuntimeException e) {
                try {
                    connection.rollback(savepoint);
                } catch (SQLException rollback) {
                    throw new DataAccessResourceFailureException("cannot roll back a batch",
                            rollback);
                }
                outcomes.add(e);
            } catch (SQLException e) {
                throw new DataAccessResourceFailureException("cannot release a savepoint", e);
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
        BitSet duplicateLines = new BitSet();
        Result all = store(merged, Integer.MAX_VALUE, duplicateLines, TrafficSource.HOST);
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

    /** How a batch over the limit is refused, wherever it is counted (parsing it, or storing it). */
    static IllegalArgumentException overBatchLimit(int maxBatch) {
        return new IllegalArgumentException("the batch has more than " + maxBatch + " snapshots; at most " + maxBatch
                + " are accepted per request");
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

    /** What a switch's snapshots came to: stored as for any batch, and held back because a host collector reports. */
    public record SwitchResult(Result stored, int hostReports) {
    }

    /**
     * Stores a fabric switch's per-initiator snapshots (SAN Analytics flow totals), only for the initiators the switch
     * serves by {@link TrafficSources}' rule; the others are counted as reported by a host collector.
     */
    @Transactional
    public SwitchResult ingestFromSwitch(long fabricId, List<Snapshot> snapshots) {
        Map<Long, Instant> times = new HashMap<>();
        snapshots.forEach(s -> times.merge(s.initiator(), s.ts(), (a, b) -> a.isBefore(b) ? a : b));
        Set<Long> admitted = sources.admitFromSwitch(fabricId, times, properties.sourceTakeover());
        List<SnapshotParser.Line> lines = new ArrayList<>(snapshots.size());
        int hostReports = 0;
        for (Snapshot snapshot : snapshots) {
            if (admitted.contains(snapshot.initiator())) {
                lines.add(new SnapshotParser.Line(lines.size() + 1, snapshot, null));
            } else {
                hostReports++;
            }
        }
        return new SwitchResult(store(lines, properties.maxBatch(), new BitSet(), TrafficSource.SWITCH), hostReports);
    }

    /** Microseconds since the epoch, as the database keeps a timestamp. */
    private static long epoch(Instant ts) {
        return ts.getEpochSecond() * 1_000_000L + ts.getNano() / 1000;
    }

    private Result store(Iterable<SnapshotParser.Line> lines) {
        return store(lines, properties.maxBatch(), new BitSet(), TrafficSource.HOST);
    }

    /**
     * Stores the lines; {@code duplicateLines} gets the number of each line that was a duplicate (already stored, or
     * twice in the lines), so a merged group can give each request its own counts.
     */
    private Result store(Iterable<SnapshotParser.Line> lines, int maxLines, BitSet duplicateLines,
                         TrafficSource source) {
        BatchStore batch = new BatchStore(maxLines, duplicateLines, source);
        try {
            batch.add(lines);
            return batch.finish();
        } catch (RuntimeException e) {
            batch.abandon();
            throw e;
        }
    }

    /**
     * Stores one large batch in a transaction of its own as its parser hands over the lines, a chunk at a time: the
     * first chunks load while the request's thread still parses the rest. Refused whole (nothing stored) when the
     * parser refuses the body.
     */
    public Result storeStreamed(LineFeed feed) {
        streamedBatches.incrementAndGet();
        return groupTransactions.execute(status -> {
            BatchStore batch = new BatchStore(properties.maxBatch(), new BitSet(), TrafficSource.HOST);
            try {
                for (List<SnapshotParser.Line> chunk = feed.next(); chunk != null; chunk = feed.next()) {
                    batch.add(chunk);
                }
                return batch.finish();
            } catch (RuntimeException e) {
                batch.abandon();
                throw e;
            }
        });
    }

    /**
     * One batch being stored in the caller's transaction, in one or more chunks of lines: each chunk is checked when
     * it is added and its rows go on the batch's COPY, which stays open from chunk to chunk unless a chunk's checks must
     * ask the database (an initiator not known lately, a new day). Rows of hours old enough to be compacted already are
     * checked against the blocks together at the end, and copied then. A snapshot twice in the batch counts once,
     * whichever chunks hold it.
     */
    private final class BatchStore {

        private final Window window;
        private final int maxLines;
        private final BitSet duplicateLines;
        private final TrafficSource source;
        private final List<Rejection> rejected = new ArrayList<>();
        private final Set<Key> seen = new HashSet<>();
        private final Map<Long, Instant> earliest = new HashMap<>();
        /** The open COPY and the rows sent on it: sent again through the staging table if one collides. */
        private RowStream copy;
        private final List<SnapshotParser.Line> copying = new ArrayList<>();
        /** Rows of hours that may be compacted already: checked together once the batch is complete. */
        private final List<SnapshotParser.Line> old = new ArrayList<>();
        private final Instant horizon = compaction.horizon();
        private int count;
        private int inserted;
        private int duplicates;

        BatchStore(int maxLines, BitSet duplicateLines, TrafficSource source) {
            Instant now = clock.instant();
            this.window = new Window(now, now.plus(properties.maxFuture()), now.minus(properties.rawRetention()));
            this.maxLines = maxLines;
            this.duplicateLines = duplicateLines;
            this.source = source;
        }

        void add(Iterable<SnapshotParser.Line> lines) {
            List<SnapshotParser.Line> valid = new ArrayList<>();
            for (SnapshotParser.Line line : lines) {
                if (++count > maxLines) {
                    throw overBatchLimit(properties.maxBatch());
                }
                if (line.error() != null) {
                    rejected.add(new Rejection(line.number(), line.error()));
                } else {
                    valid.add(line);
                }
            }
            List<Long> initiators = valid.stream().map(l -> l.snapshot().initiator()).distinct().toList();
            if (!initiators.stream().allMatch(i -> knownInitiators.getIfPresent(i) != null)
                    || !valid.stream().map(l -> day(l.snapshot().ts())).allMatch(partitions::dayKnown)) {
                // the checks below ask the database, which takes no other statement while a COPY is open
                endCopy();
            }
            Set<Long> known = knownInitiators(initiators);
            List<SnapshotParser.Line> rows = new ArrayList<>(valid.size());
            Set<LocalDate> days = new HashSet<>();
            for (SnapshotParser.Line line : valid) {
                Snapshot s = line.snapshot();
                String outside = window.refuse(s);
                if (!known.contains(s.initiator())) {
                    rejected.add(new Rejection(line.number(), "wwpn " + new Wwn(s.initiator())
                            + " is not a VM or adapter WWPN known to vfzone"));
                } else if (outside != null) {
                    rejected.add(new Rejection(line.number(), outside));
                } else if (!seen.add(key(s))) {
                    duplicates++;
                    duplicateLines.set(line.number());
                } else {
                    rows.add(line);
                    days.add(day(s.ts()));
                }
            }
            days.forEach(partitions::ensureDay);
            for (SnapshotParser.Line line : rows) {
                if (line.snapshot().ts().isBefore(horizon)) {
                    // its hour may be compacted already: asked about with the batch's other old rows at the end
                    old.add(line);
                } else {
                    copy(line);
                }
            }
        }

        private void copy(SnapshotParser.Line line) {
            if (copy == null) {
                copy = new RowStream("traffic_sample");
            }
            copy.add(line.snapshot());
            copying.add(line);
            if (source == TrafficSource.HOST) {
                earliest.merge(line.snapshot().initiator(), line.snapshot().ts(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }

        /** The old rows not in a block already, copied after the others. */
        private void copyOld() {
            if (old.isEmpty()) {
                return;
            }
            endCopy();
            Set<Key> compacted = compaction.storedInBlocks(old.stream().map(SnapshotParser.Line::snapshot).toList());
            for (SnapshotParser.Line line : old) {
                if (compacted.contains(key(line.snapshot()))) {
                    duplicates++;
                    duplicateLines.set(line.number());
                } else {
                    copy(line);
                }
            }
            old.clear();
        }

        /** Ends the open COPY; when one of its rows collided with a stored one, its rows go through staging. */
        private void endCopy() {
            if (copy == null) {
                return;
            }
            int copied;
            try (RowStream ending = copy) {
                copy = null;
                copied = ending.finish();
            }
            if (copied < 0) {
                copied = insertSkippingStored(copying, line -> duplicateLines.set(line.number()));
            }
            inserted += copied;
            duplicates += copying.size() - copied;
            copying.clear();
        }

        /** Stops without storing: an open COPY is cancelled and its rows rolled back. */
        void abandon() {
            if (copy != null) {
                try (RowStream cancelled = copy) {
                    copy = null;
                    copying.clear();
                }
            }
        }

        Result finish() {
            copyOld();
            endCopy();
            if (!earliest.isEmpty()) {
                sources.hostReported(earliest);
            }
            rejected.sort(Comparator.comparingInt(Rejection::line));
            return new Result(inserted, duplicates, rejected);
        }
    }

    /** Identifies a snapshot: its initiator and its time to the microsecond, as stored. */
    record Key(long initiator, long epochMicros) {
    }

    static Key key(Snapshot s) {
        return new Key(s.initiator(), epoch(s.ts()));
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
        // by the epoch day: LocalDate.ofInstant builds the UTC offset's rules on every call
        return LocalDate.ofEpochDay(Math.floorDiv(ts.getEpochSecond(), 86_400));
    }

    /**
     * The WWPNs of VMs (active and standby) and of physical ports: the initiators vfzone knows. Known ones are
     * remembered for a minute (collectors send the same WWPNs every few seconds); unknown ones are always asked.
     */
    private Set<Long> knownInitiators(List<Long> initiators) {
        Set<Long> known = new HashSet<>();
        List<Long> ask = new ArrayList<>();
        for (Long initiator : initiators) {
            if (knownInitiators.getIfPresent(initiator) != null) {
                known.add(initiator);
            } else {
                ask.add(initiator);
            }
        }
        if (!ask.isEmpty()) {
            for (Long initiator : wwnRegistry.portWwnsAmong(ask)) {
                known.add(initiator);
                knownInitiators.put(initiator, Boolean.TRUE);
            }
        }
        return known;
    }

    /**
     * Through a staging table with {@code ON CONFLICT DO NOTHING}, for rows of which some collided with rows already
     * stored (a batch sent again, or another node storing the same snapshot meanwhile) when they were copied straight
     * into the table. {@code duplicate} hears of each line whose snapshot was already stored.
     */
    private int insertSkippingStored(List<SnapshotParser.Line> rows, Consumer<SnapshotParser.Line> duplicate) {
        jdbc.execute("create temp table if not exists traffic_staging (like traffic_sample including defaults) "
                + "on commit delete rows");
        try (RowStream staging = new RowStream("traffic_staging")) {
            rows.forEach(line -> staging.add(line.snapshot()));
            staging.finish();
        }
        Set<Key> inserted = new HashSet<>(jdbc.query("insert into traffic_sample (" + COLUMNS + ") select "
                + COLUMNS + " from traffic_staging on conflict (initiator, ts) do nothing "
                + "returning initiator, (extract(epoch from ts) * 1000000)::bigint",
                (rs, n) -> new Key(rs.getLong(1), rs.getLong(2))));
        for (SnapshotParser.Line line : rows) {
            if (!inserted.contains(key(line.snapshot()))) {
                duplicate.accept(line);
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
        /** Grows to a chunk's size as rows come: a collector's request fills a tenth of one. */
        private final StringBuilder chunk = new StringBuilder(4096);
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

        void add(Snapshot snapshot) {
            if (failure != null) {
                return;
            }
            appendRow(chunk, snapshot, timestamps);
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
    static void appendRow(StringBuilder text, Snapshot s, CopyText.Timestamps timestamps) {
        text.append(s.initiator()).append('\t');
        timestamps.append(text, s.ts());
        for (Long counter : s.counters()) {
            CopyText.field(text, counter);
        }
        CopyText.field(text, s.portState());
        text.append('\n');
    }
}
