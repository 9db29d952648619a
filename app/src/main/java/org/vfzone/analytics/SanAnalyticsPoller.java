package org.vfzone.analytics;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.collector.FcCounter;
import org.vfzone.connection.FabricConnector;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.FlowReading;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.security.People;
import org.vfzone.system.ParallelPolls;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.Texts;
import org.vfzone.traffic.Snapshot;
import org.vfzone.traffic.TrafficIngestService;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFormatException;
import org.vfzone.wwn.WwnRegistry;

/**
 * Polls each fabric's switch for SAN Analytics flows: the flows' totals summed per initiator become that initiator's
 * counters (reads and writes completed, megabytes read and written), stored through the traffic store for the
 * initiators no host collector reports; each flow's own rates since the poll before are kept for "which targets,
 * how much". Totals rather than the switch's {@code differential} form: vfzone derives rates from two readings as
 * it does for the collector, and nothing it reads resets another user's view. A fabric whose switch has no
 * analytics is recorded as such and asked again only now and then.
 */
@Component
public class SanAnalyticsPoller {


    /** The outcome of one fabric's poll, as recorded. */
    public record Result(String status, String message, int flows, int initiators, int stored, int hostReports,
                         int unresolved) {
    }

    private final FabricService fabrics;
    private final FabricConnector connector;
    private final TrafficIngestService ingest;
    private final WwnRegistry wwns;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final AnalyticsProperties properties;
    private final ParallelPolls pollers;

    SanAnalyticsPoller(FabricService fabrics, FabricConnector connector, TrafficIngestService ingest, WwnRegistry wwns,
                       JdbcTemplate jdbc, TransactionTemplate transaction, Clock clock,
                       AnalyticsProperties properties) {
        this.fabrics = fabrics;
        this.connector = connector;
        this.ingest = ingest;
        this.wwns = wwns;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
        this.properties = properties;
        this.pollers = new ParallelPolls("san-analytics", properties.threads());
    }

    @PreDestroy
    void stop() {
        pollers.close();
    }

    /**
     * Every fabric due, each on a thread of its own (one slow or failing switch delays only itself; every request to
     * it has the connection timeout), on one node at a time.
     */
    @Scheduled(fixedDelayString = "${vfzone.analytics.interval:PT1M}", initialDelayString = "PT40S")
    @SchedulerLock(name = "san-analytics", lockAtMostFor = "PT10M")
    public void pollAll() {
        Instant now = clock.instant();
        Map<Long, Instant> unavailableSince = new HashMap<>();
        jdbc.query("select fabric_id, checked_at from san_analytics_status where status = 'UNAVAILABLE'",
                rs -> {
                    unavailableSince.put(rs.getLong(1), rs.getTimestamp(2).toInstant());
                });
        List<Fabric> due = new ArrayList<>();
        for (Fabric fabric : People.runAsSystem(fabrics::list)) {
            Instant checked = unavailableSince.get(fabric.getId());
            if (checked == null || !checked.plus(properties.unavailableInterval()).isAfter(now)) {
                due.add(fabric);
            }
        }
        pollers.pollEach(due, Fabric::getName, fabric -> People.runAsSystem(() -> poll(fabric.getId())),
                properties.interval().multipliedBy(5));
    }

    /** Reads the fabric's flows now and stores them; the outcome is recorded for the fabric page and returned. */
    public Result poll(long fabricId) {
        return poll(fabricId, clock.instant());
    }

    /** A poll whose reading is taken as of {@code at} (the clock's now, or a test's). */
    Result poll(long fabricId, Instant at) {
        Fabric fabric = fabrics.get(fabricId);
        Instant now = at.truncatedTo(ChronoUnit.MILLIS);
        FlowReading reading;
        try {
            reading = connector.driver(fabric).readFlows();
        } catch (RuleViolation e) {
            return record(fabricId, now, new Result("UNAVAILABLE", e.getMessage(), 0, 0, 0, 0, 0));
        } catch (FabricException e) {
            return record(fabricId, now, new Result("FAILED", "cannot read the flows: " + e.getMessage(), 0, 0, 0, 0,
                    0));
        }
        if (!reading.available()) {
            return record(fabricId, now, new Result("UNAVAILABLE", reading.unavailableReason(), 0, 0, 0, 0, 0));
        }
        Map<Long, long[]> perInitiator = new LinkedHashMap<>();
        List<Flow> flows = new ArrayList<>(reading.flows().size());
        for (FlowReading.FlowCounters f : reading.flows()) {
            long initiator;
            long target;
            try {
                initiator = Wwn.parse(f.initiatorWwpn()).value();
                target = Wwn.parse(f.targetWwpn()).value();
            } catch (WwnFormatException e) {
                continue;
            }
            flows.add(new Flow(initiator, target, f));
            long[] sum = perInitiator.computeIfAbsent(initiator, k -> new long[4]);
            sum[0] += f.readIos();
            sum[1] += f.writeIos();
            sum[2] += f.readBytes();
            sum[3] += f.writeBytes();
        }
        // only initiators vfzone knows (a VM's or an adapter's WWPN): the fabric's other hosts are not its business
        Set<Long> known = wwns.portWwnsAmong(perInitiator.keySet());
        List<Snapshot> snapshots = new ArrayList<>(known.size());
        perInitiator.forEach((initiator, sum) -> {
            if (known.contains(initiator)) {
                snapshots.add(snapshot(initiator, now, sum));
            }
        });
        return transaction.execute(status -> {
            TrafficIngestService.SwitchResult stored = ingest.ingestFromSwitch(fabricId, snapshots);
            keepFlows(fabricId, now, flows);
            return record(fabricId, now, new Result("OK", null, flows.size(), perInitiator.size(),
                    stored.stored().accepted(), stored.hostReports(), reading.unresolved()));
        });
    }

    private record Flow(long initiator, long target, FlowReading.FlowCounters counters) {
    }

    /**
     * An initiator's counters from its flows' totals ({@code sum}: reads, writes, bytes read, bytes written), in the
     * collector's terms: IOs, and megabytes (10^6 bytes).
     */
    public static Snapshot snapshot(long initiator, Instant at, long[] sum) {
        Long[] counters = new Long[FcCounter.ALL.size()];
        counters[FcCounter.FCP_INPUT_REQUESTS.ordinal()] = sum[0];
        counters[FcCounter.FCP_OUTPUT_REQUESTS.ordinal()] = sum[1];
        counters[FcCounter.FCP_INPUT_MEGABYTES.ordinal()] = sum[2] / 1_000_000;
        counters[FcCounter.FCP_OUTPUT_MEGABYTES.ordinal()] = sum[3] / 1_000_000;
        return new Snapshot(initiator, at, counters, null);
    }

    /** Replaces the fabric's flows with this reading's, each with its rates since the one before. */
    private void keepFlows(long fabricId, Instant now, List<Flow> flows) {
        Map<List<Long>, long[]> before = new HashMap<>();
        Map<List<Long>, Instant> readAt = new HashMap<>();
        jdbc.query("select initiator, target, read_at, read_ios, write_ios, read_bytes, write_bytes "
                + "from san_analytics_flow where fabric_id = ?", rs -> {
                    List<Long> key = List.of(rs.getLong(1), rs.getLong(2));
                    readAt.put(key, rs.getTimestamp(3).toInstant());
                    before.put(key, new long[] {rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)});
                }, fabricId);
        jdbc.update("delete from san_analytics_flow where fabric_id = ?", fabricId);
        List<Object[]> rows = new ArrayList<>(flows.size());
        for (Flow flow : flows) {
            FlowReading.FlowCounters c = flow.counters();
            List<Long> key = List.of(flow.initiator(), flow.target());
            long[] was = before.get(key);
            Float seconds = null;
            Float[] rates = new Float[4];
            if (was != null) {
                double s = Duration.between(readAt.get(key), now).toMillis() / 1000.0;
                boolean restarted = c.readIos() < was[0] || c.writeIos() < was[1] || c.readBytes() < was[2]
                        || c.writeBytes() < was[3];
                if (s > 0 && !restarted) {
                    seconds = (float) s;
                    rates[0] = (float) ((c.readIos() - was[0]) / s);
                    rates[1] = (float) ((c.writeIos() - was[1]) / s);
                    rates[2] = (float) ((c.readBytes() - was[2]) / s / 1_000_000);
                    rates[3] = (float) ((c.writeBytes() - was[3]) / s / 1_000_000);
                }
            }
            rows.add(new Object[] {fabricId, flow.initiator(), flow.target(), Timestamp.from(now), c.readIos(),
                    c.writeIos(), c.readBytes(), c.writeBytes(), seconds, rates[0], rates[1], rates[2], rates[3]});
        }
        jdbc.batchUpdate("""
                insert into san_analytics_flow (fabric_id, initiator, target, read_at, read_ios, write_ios, read_bytes,
                                                write_bytes, interval_s, read_iops, write_iops, read_mbps, write_mbps)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, rows);
    }

    private Result record(long fabricId, Instant at, Result result) {
        jdbc.update("""
                insert into san_analytics_status (fabric_id, checked_at, status, message, flows, initiators, stored,
                                                  host_reports, last_ok_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, case when ? = 'OK' then ?::timestamptz end)
                on conflict (fabric_id) do update set checked_at = excluded.checked_at, status = excluded.status,
                       message = excluded.message, flows = excluded.flows, initiators = excluded.initiators,
                       stored = excluded.stored, host_reports = excluded.host_reports,
                       last_ok_at = coalesce(excluded.last_ok_at, san_analytics_status.last_ok_at)
                """, fabricId, Timestamp.from(at), result.status(), Texts.abbreviate(result.message(), 500), result.flows(),
                result.initiators(), result.stored(), result.hostReports(), result.status(), Timestamp.from(at));
        return result;
    }
}
