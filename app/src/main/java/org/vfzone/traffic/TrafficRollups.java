package org.vfzone.traffic;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import javax.sql.DataSource;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Fills the 5-minute rollups from the counters — each snapshot's rates derived from the one before it as it is read
 * ({@link TrafficCounters}) — and the hourly ones from the 5-minute tier, incrementally: each run picks up from where
 * the last one stopped, minus a look-back so late (out-of-order) samples are folded in, and upserts whole buckets.
 * Runs under a database lock, so several app nodes do it once.
 */
@Component
public class TrafficRollups {

    static final Duration FIVE_MIN_LOOKBACK = Duration.ofMinutes(30);
    static final Duration HOURLY_LOOKBACK = Duration.ofHours(3);

    /** A bucket computed again (late samples) replaces the stored one. */
    private static final String REPLACE_BUCKET = """
            on conflict (initiator, bucket) do update set
                   samples = excluded.samples, read_iops_avg = excluded.read_iops_avg,
                   read_iops_max = excluded.read_iops_max, write_iops_avg = excluded.write_iops_avg,
                   write_iops_max = excluded.write_iops_max, read_mbps_avg = excluded.read_mbps_avg,
                   read_mbps_max = excluded.read_mbps_max, write_mbps_avg = excluded.write_mbps_avg,
                   write_mbps_max = excluded.write_mbps_max, rx_fps_avg = excluded.rx_fps_avg,
                   tx_fps_avg = excluded.tx_fps_avg, errors = excluded.errors
            """;

    /** Hourly from 5-minute buckets: averages weighted by the samples behind them, maxima of maxima. */
    private static final String HOURLY = """
            insert into traffic_1h (initiator, bucket, samples, read_iops_avg, read_iops_max, write_iops_avg,
                                    write_iops_max, read_mbps_avg, read_mbps_max, write_mbps_avg, write_mbps_max,
                                    rx_fps_avg, tx_fps_avg, errors)
            select initiator, date_trunc('hour', bucket), sum(samples),
                   sum(read_iops_avg * samples) / nullif(sum(samples) filter (where read_iops_avg is not null), 0),
                   max(read_iops_max),
                   sum(write_iops_avg * samples) / nullif(sum(samples) filter (where write_iops_avg is not null), 0),
                   max(write_iops_max),
                   sum(read_mbps_avg * samples) / nullif(sum(samples) filter (where read_mbps_avg is not null), 0),
                   max(read_mbps_max),
                   sum(write_mbps_avg * samples) / nullif(sum(samples) filter (where write_mbps_avg is not null), 0),
                   max(write_mbps_max),
                   sum(rx_fps_avg * samples) / nullif(sum(samples) filter (where rx_fps_avg is not null), 0),
                   sum(tx_fps_avg * samples) / nullif(sum(samples) filter (where tx_fps_avg is not null), 0),
                   sum(errors)
              from traffic_5m where bucket >= ? and bucket < ?
             group by 1, 2
            """ + REPLACE_BUCKET;

    private static final String FIVE_MIN_FROM_STAGING = """
            insert into traffic_5m select * from traffic_5m_staging
            """ + REPLACE_BUCKET;

    private final JdbcTemplate jdbc;
    private final TrafficPartitions partitions;
    private final Clock clock;
    private final TrafficCounters counters;
    private final DataSource dataSource;

    TrafficRollups(JdbcTemplate jdbc, TrafficPartitions partitions, Clock clock, TrafficCounters counters,
                   DataSource dataSource) {
        this.counters = counters;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.partitions = partitions;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${vfzone.traffic.rollup-interval:PT1M}", initialDelayString = "PT30S")
    @SchedulerLock(name = "traffic-rollups", lockAtMostFor = "PT30M")
    @Transactional
    public void run() {
        Instant now = clock.instant();
        rollUp("5m", null, FIVE_MIN_LOOKBACK, Duration.ofMinutes(5), now);
        rollUp("1h", HOURLY, HOURLY_LOOKBACK, Duration.ofHours(1), now);
        rollUp("vm1h", VM_HOURLY, HOURLY_LOOKBACK, Duration.ofHours(1), now);
    }

    /** Hourly averages of the per-VM disk samples (vCenter), whole hours replaced. */
    private static final String VM_HOURLY = """
            insert into traffic_vm_1h (vm_id, bucket, samples, read_iops, write_iops, read_mbps, write_mbps)
            select vm_id, date_trunc('hour', ts), count(*), avg(read_iops), avg(write_iops), avg(read_mbps),
                   avg(write_mbps)
              from traffic_vm_sample where ts >= ? and ts < ?
             group by 1, 2
            on conflict (vm_id, bucket) do update set samples = excluded.samples, read_iops = excluded.read_iops,
                   write_iops = excluded.write_iops, read_mbps = excluded.read_mbps, write_mbps = excluded.write_mbps
            """;

    /** Rolls up everything from {@code from} (for a backfill), then continues incrementally. */
    @Transactional
    public void rebuild(Instant from) {
        jdbc.update("delete from traffic_rollup_state");
        jdbc.update("insert into traffic_rollup_state values ('5m', ?), ('1h', ?), ('vm1h', ?)", Timestamp.from(from),
                Timestamp.from(from), Timestamp.from(from));
        run();
    }

    private void rollUp(String tier, String sql, Duration lookback, Duration bucket, Instant now) {
        Instant done = jdbc.query("select done_upto from traffic_rollup_state where tier = ? for update",
                rs -> rs.next() ? rs.getTimestamp(1).toInstant() : null, tier);
        // only closed buckets; the next run redoes the look-back window for late samples
        Instant to = Instant.ofEpochSecond(now.minus(Duration.ofMinutes(1)).getEpochSecond()
                / bucket.toSeconds() * bucket.toSeconds());
        Instant start = done == null ? to.minus(Duration.ofDays(1)) : done.minus(lookback);
        // whole buckets only: a bucket computed from part of its samples would replace the complete one
        Instant from = Instant.ofEpochSecond(Math.floorDiv(start.getEpochSecond(), bucket.toSeconds())
                * bucket.toSeconds());
        if (!from.isBefore(to)) {
            return;
        }
        String table = switch (tier) {
            case "5m" -> "traffic_5m";
            case "1h" -> "traffic_1h";
            default -> "traffic_vm_1h";
        };
        for (YearMonth month = YearMonth.from(from.atZone(ZoneOffset.UTC));
             !month.isAfter(YearMonth.from(to.atZone(ZoneOffset.UTC))); month = month.plusMonths(1)) {
            partitions.ensureMonth(table, month);
        }
        if (sql == null) {
            fiveMinutes(from, to);
        } else {
            jdbc.update(sql, Timestamp.from(from), Timestamp.from(to));
        }
        jdbc.update("insert into traffic_rollup_state (tier, done_upto) values (?, ?) on conflict (tier) do update "
                + "set done_upto = excluded.done_upto", tier, Timestamp.from(to));
    }

    /**
     * The 5-minute buckets from {@code from} to {@code to}: per initiator and bucket, the snapshots counted, each
     * rate's average and peak over the snapshots that have one, the errors summed, in one pass over the counters in
     * (initiator, time) order. The buckets go into a staging table with COPY, then are upserted in one statement.
     */
    private void fiveMinutes(Instant from, Instant to) {
        // the counters are read sorted by initiator and time; let the sort of a busy window stay in memory
        jdbc.execute("set local work_mem = '256MB'");
        jdbc.execute("create temp table if not exists traffic_5m_staging (like traffic_5m including defaults) "
                + "on commit delete rows");
        jdbc.execute("truncate traffic_5m_staging");
        // a long backfill goes six hours at a time, so the buckets waiting for their COPY stay few
        for (Instant start = from; start.isBefore(to); start = start.plus(Duration.ofHours(6))) {
            Instant end = start.plus(Duration.ofHours(6)).isBefore(to) ? start.plus(Duration.ofHours(6)) : to;
            FiveMinuteBuckets buckets = new FiveMinuteBuckets();
            counters.rates(null, start, end, buckets::add);
            buckets.load(dataSource);
        }
        jdbc.update(FIVE_MIN_FROM_STAGING);
    }
}
