package org.vfzone.traffic;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.system.Texts;

/**
 * What the traffic history costs on disk and what it will cost: raw rows and compacted blocks with their bytes per
 * snapshot, the compaction's progress, and the disk the raw tier needs at the configured retention for the
 * initiators reporting now. Cheap enough for a page: sizes and row estimates come from the catalog, the recent rate
 * from the last hour's 5-minute rollups.
 */
@Component
public class TrafficStorage {

    /** Bytes per compacted snapshot assumed before anything was compacted (the footprint benchmark's order). */
    static final double TYPICAL_COMPACTED_BYTES = 30;

    /**
     * @param rawSnapshots          raw rows, as estimated by PostgreSQL's statistics
     * @param rawBytes              raw partitions with their indexes
     * @param compactedSnapshots    snapshots kept in blocks
     * @param compactedBytes        blocks with their index and TOAST
     * @param compactedBytesPerSnapshot bytes per snapshot in blocks; null before the first compaction
     * @param compactedHours        hours compacted so far
     * @param newestCompactedHour   the newest hour compacted (null before the first compaction)
     * @param lastCompaction        when the compaction last wrote blocks
     * @param initiatorsLastHour    initiators with snapshots in the last hour's 5-minute rollups
     * @param snapshotsPerHour      snapshots in the last hour's 5-minute rollups
     * @param retentionDays         the raw retention
     * @param projectedGigabytes    the raw tier at that retention for the current rate, compacted (decimal GB)
     */
    public record Status(long rawSnapshots, long rawBytes, long compactedSnapshots, long compactedBytes,
                         Double compactedBytesPerSnapshot, int compactedHours, Instant newestCompactedHour, Instant lastCompaction,
                         long initiatorsLastHour, long snapshotsPerHour, long retentionDays,
                         double projectedGigabytes) {
    }

    private final JdbcTemplate jdbc;
    private final TrafficProperties properties;
    private final Clock clock;

    TrafficStorage(JdbcTemplate jdbc, TrafficProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public Status status() {
        long[] raw = jdbc.queryForObject("""
                select coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint, coalesce(sum(pg_total_relation_size(c.oid)), 0)
                  from pg_inherits i join pg_class c on c.oid = i.inhrelid
                 where i.inhparent = 'traffic_sample'::regclass
                """, (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)});
        Object[] compacted = jdbc.queryForObject("""
                select coalesce(sum(samples), 0), count(*), max(hour), max(compacted_at) from traffic_compacted_hour
                """, (rs, n) -> new Object[] {rs.getLong(1), rs.getInt(2), rs.getTimestamp(3), rs.getTimestamp(4)});
        long blockBytes = jdbc.queryForObject("select pg_total_relation_size('traffic_block')", Long.class);
        Instant hourAgo = clock.instant().minus(Duration.ofHours(1));
        long[] recent = jdbc.queryForObject("""
                select count(distinct initiator), coalesce(sum(samples), 0) from traffic_5m where bucket >= ?
                """, (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}, Timestamp.from(hourAgo));
        long compactedSnapshots = (Long) compacted[0];
        double perSnapshot = compactedSnapshots == 0 ? TYPICAL_COMPACTED_BYTES
                : (double) blockBytes / compactedSnapshots;
        long retentionDays = properties.rawRetention().toDays();
        double projected = recent[1] * 24.0 * retentionDays * perSnapshot / 1e9;
        return new Status(raw[0], raw[1], compactedSnapshots, blockBytes,
                compactedSnapshots == 0 ? null : (double) blockBytes / compactedSnapshots, (Integer) compacted[1],
                Texts.instant((Timestamp) compacted[2]), Texts.instant((Timestamp) compacted[3]), recent[0], recent[1],
                retentionDays, projected);
    }

}
