package org.vfzone.traffic;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the traffic partitions ahead of time (raw: one per UTC day; rollups: one per month) and drops whole
 * partitions past their retention — no bulk DELETE, no vacuum debt. Scheduled under a database lock so several app
 * nodes do it once; ingest also creates a missing day on demand, serialized with the scheduled job and other nodes.
 */
@Component
public class TrafficPartitions {

    private static final Logger log = LoggerFactory.getLogger(TrafficPartitions.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");
    static final int DAYS_AHEAD = 3;

    private final JdbcTemplate jdbc;
    private final TrafficProperties properties;
    private final Clock clock;
    private final Set<LocalDate> knownDays = ConcurrentHashMap.newKeySet();

    private final TransactionTemplate transaction;
    private final TrafficCompaction compaction;

    TrafficPartitions(JdbcTemplate jdbc, TrafficProperties properties, Clock clock,
                      TransactionTemplate transaction,
                      TrafficCompaction compaction) {
        this.compaction = compaction;
        this.transaction = transaction;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onStart() {
        maintain();
    }

    @Scheduled(cron = "${vfzone.traffic.partition-cron:0 15 * * * *}", zone = "UTC")
    @SchedulerLock(name = "traffic-partitions", lockAtMostFor = "PT10M")
    public void maintain() {
        // every day ingest accepts (the raw retention back, a few ahead) exists before a sample for it arrives,
        // so even a collector's backlog after an outage rarely needs a partition created during its ingest
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate oldest = LocalDate.ofInstant(clock.instant().minus(properties.rawRetention()), ZoneOffset.UTC);
        for (LocalDate day = oldest; !day.isAfter(today.plusDays(DAYS_AHEAD)); day = day.plusDays(1)) {
            ensureDay(day);
        }
        YearMonth month = YearMonth.from(today);
        for (YearMonth m : List.of(month.minusMonths(1), month, month.plusMonths(1))) {
            ensureMonth("traffic_5m", m);
            ensureMonth("traffic_1h", m);
            ensureMonth("traffic_vm_1h", m);
        }
        dropExpired();
    }

    /**
     * The raw partition of that UTC day, created if missing, in the caller's transaction (an ingest) or its own.
     * Creations are serialized by a transaction-scoped advisory lock: without it, two transactions that both find
     * the day missing both create it, and the second fails with "relation already exists" and loses its batch.
     */
    /** Whether this node already made sure the day's partitions exist (then {@link #ensureDay} asks nothing). */
    boolean dayKnown(LocalDate day) {
        return knownDays.contains(day);
    }

    public void ensureDay(LocalDate day) {
        if (knownDays.contains(day)) {
            return;
        }
        create("traffic_sample_" + DAY.format(day), "traffic_sample", day.toString(), day.plusDays(1).toString());
        create("traffic_vm_sample_" + DAY.format(day), "traffic_vm_sample", day.toString(),
                day.plusDays(1).toString());
        knownDays.add(day);
    }

    public void ensureMonth(String table, YearMonth month) {
        create(table + "_" + MONTH.format(month), table, month.atDay(1).toString(),
                month.plusMonths(1).atDay(1).toString());
    }

    private void create(String partition, String parent, String from, String to) {
        transaction.executeWithoutResult(status -> {
            jdbc.query("select pg_advisory_xact_lock(hashtext('vfzone.traffic-partitions'))", rs -> {
            });
            jdbc.execute("create table if not exists " + partition + " partition of " + parent
                    + " for values from ('" + from + " 00:00:00+00') to ('" + to + " 00:00:00+00')");
        });
    }

    /** Drops partitions that end before their tier's retention; returns the names dropped. */
    public List<String> dropExpired() {
        Instant now = clock.instant();
        List<String> dropped = new ArrayList<>();
        dropped.addAll(drop("traffic_sample", now.minus(properties.rawRetention())));
        dropped.addAll(drop("traffic_vm_sample", now.minus(properties.vmSampleRetention())));
        int blocks = compaction.dropExpired(now.minus(properties.rawRetention()));
        if (blocks > 0) {
            log.info("Dropped {} compacted traffic blocks past the raw retention", blocks);
        }
        dropped.addAll(drop("traffic_5m", now.minus(properties.fiveMinRetention())));
        dropped.addAll(drop("traffic_1h", now.minus(properties.hourlyRetention())));
        dropped.addAll(drop("traffic_vm_1h", now.minus(properties.hourlyRetention())));
        if (!dropped.isEmpty()) {
            log.info("Dropped expired traffic partitions {}", dropped);
        }
        return dropped;
    }

    private List<String> drop(String parent, Instant cutoff) {
        // upper bound of each partition, read from the catalog rather than guessed from its name
        List<String[]> partitions = jdbc.query("""
                select c.relname, substring(pg_get_expr(c.relpartbound, c.oid) from 'TO \\(''([^'']+)''\\)')
                  from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
                 where p.relname = ?
                """, (rs, n) -> new String[] {rs.getString(1), rs.getString(2)}, parent);
        List<String> dropped = new ArrayList<>();
        for (String[] partition : partitions) {
            Timestamp bound = jdbc.queryForObject("select ?::timestamptz", Timestamp.class,
                    partition[1]);
            if (bound != null && !bound.toInstant().isAfter(cutoff)) {
                jdbc.execute("drop table if exists " + partition[0]);
                dropped.add(partition[0]);
                if (parent.equals("traffic_sample") || parent.equals("traffic_vm_sample")) {
                    knownDays.removeIf(day -> partition[0].endsWith(DAY.format(day)));
                }
            }
        }
        return dropped;
    }
}
