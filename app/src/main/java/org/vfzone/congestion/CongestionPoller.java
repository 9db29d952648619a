package org.vfzone.congestion;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.connection.FabricConnector;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.PortHealthReading;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.security.People;
import org.vfzone.system.ParallelPolls;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.Texts;
import org.vfzone.system.Words;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFormatException;
import org.vfzone.zoning.ZoningEvent;

/**
 * Reads each fabric's switch ports on a schedule (one node at a time, each fabric on a thread of its own): the ports'
 * counters are stored as the switch reported them, and each device's login through a port extends or starts its
 * stretch in {@code port_login}. Rates and attribution are worked out when read ({@link CongestionQueries}).
 */
@Component
public class CongestionPoller {

    /** The outcome of one fabric's poll, as recorded. */
    public record Result(String status, String message, int ports, int logins) {
    }

    private final FabricService fabrics;
    private final FabricConnector connector;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final CongestionProperties properties;
    private final ParallelPolls pollers;
    private final CongestionQueries queries;
    private final ApplicationEventPublisher events;

    CongestionPoller(FabricService fabrics, FabricConnector connector, JdbcTemplate jdbc,
                     TransactionTemplate transaction, Clock clock, CongestionProperties properties,
                     CongestionQueries queries, ApplicationEventPublisher events) {
        this.fabrics = fabrics;
        this.connector = connector;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
        this.properties = properties;
        this.pollers = new ParallelPolls("congestion", properties.threads());
        this.queries = queries;
        this.events = events;
    }

    @PreDestroy
    void stop() {
        pollers.close();
    }

    @Scheduled(fixedDelayString = "${vfzone.congestion.interval:PT5M}", initialDelayString = "PT50S")
    @SchedulerLock(name = "congestion", lockAtMostFor = "PT20M")
    public void pollAll() {
        List<Fabric> all = People.runAsSystem(fabrics::list);
        pollers.pollEach(all, Fabric::getName, fabric -> People.runAsSystem(() -> poll(fabric.getId())),
                properties.interval().multipliedBy(3));
        Timestamp before = Timestamp.from(clock.instant().minus(properties.retention()));
        jdbc.update("delete from port_counter_sample where read_at < ?", before);
        jdbc.update("delete from port_login where last_seen < ?", before);
    }

    /** Reads the fabric's ports now and stores them; the outcome is recorded for the fabric page and returned. */
    public Result poll(long fabricId) {
        return poll(fabricId, clock.instant());
    }

    /** A poll whose reading is taken as of {@code at}. */
    public Result poll(long fabricId, Instant at) {
        Fabric fabric = fabrics.get(fabricId);
        Instant now = at.truncatedTo(ChronoUnit.MILLIS);
        PortHealthReading reading;
        try {
            reading = connector.driver(fabric).readPortHealth();
        } catch (RuleViolation e) {
            return record(fabricId, now, new Result("UNAVAILABLE", e.getMessage(), 0, 0));
        } catch (FabricException e) {
            return record(fabricId, now, new Result("FAILED", "cannot read the ports: " + e.getMessage(), 0, 0));
        }
        if (!reading.available()) {
            return record(fabricId, now, new Result("UNAVAILABLE", reading.unavailableReason(), 0, 0));
        }
        return transaction.execute(status -> {
            Instant previousPoll = jdbc.query("select last_ok_at from congestion_status where fabric_id = ?",
                    (rs, n) -> rs.getTimestamp(1), fabricId).stream().filter(t -> t != null)
                    .map(Timestamp::toInstant).findFirst().orElse(null);
            storeCounters(fabricId, now, reading.ports());
            int logins = storeLogins(fabricId, now, previousPoll, reading.logins());
            if (previousPoll != null && previousPoll.isBefore(now)) {
                announce(fabric, previousPoll, now);
            }
            return record(fabricId, now, new Result("OK", null, reading.ports().size(), logins));
        });
    }

    /**
     * Ports that started to slow-drain in the interval just read are announced once ({@code PORT_SLOW_DRAINING}, with
     * the VMs behind them and their roles); a port that no longer does is forgotten, so it is announced again if it
     * starts again.
     */
    private void announce(Fabric fabric, Instant since, Instant now) {
        long fabricId = fabric.getId();
        double threshold = queries.thresholds().txWaitPercent();
        // the period ends after this reading: it closes the interval
        CongestionQueries.FabricCongestion interval = queries.fabric(fabricId, since, now.plusMillis(1));
        Map<String, CongestionQueries.PortFinding> draining = new LinkedHashMap<>();
        interval.ports().stream().filter(f -> f.symptoms().slowDrain(threshold))
                .forEach(f -> draining.put(f.symptoms().port(), f));
        Set<String> announced = new HashSet<>(jdbc.queryForList("select port from port_alert where fabric_id = ?",
                String.class, fabricId));
        List<String> recovered = announced.stream().filter(port -> !draining.containsKey(port)).toList();
        jdbc.batchUpdate("delete from port_alert where fabric_id = ? and port = ?",
                recovered.stream().map(port -> new Object[] {fabricId, port}).toList());
        List<CongestionQueries.PortFinding> started = draining.values().stream()
                .filter(f -> !announced.contains(f.symptoms().port())).toList();
        if (started.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("insert into port_alert (fabric_id, port, since) values (?, ?, ?) on conflict do nothing",
                started.stream().map(f -> new Object[] {fabricId, f.symptoms().port(), Timestamp.from(now)}).toList());
        List<String> lines = new ArrayList<>();
        for (CongestionQueries.PortFinding finding : started) {
            CongestionQueries.Symptoms s = finding.symptoms();
            StringBuilder line = new StringBuilder("port " + s.port() + ":");
            if (s.txWaitPercent() != null) {
                line.append(String.format(" TxWait %.1f %% of the time,", s.txWaitPercent()));
            }
            line.append(" ").append(s.discards() == null ? 0 : s.discards()).append(" discards, ")
                    .append(s.timeouts() == null ? 0 : s.timeouts()).append(" timeouts");
            for (CongestionQueries.Device device : finding.devices()) {
                if ("VM".equals(device.kind())) {
                    line.append("; VM ").append(device.name()).append(" ").append(device.role());
                }
            }
            lines.add(line.toString());
        }
        events.publishEvent(new ZoningEvent(ZoningEvent.Kind.PORT_SLOW_DRAINING, null, fabricId, fabric.getName(),
                "system", Words.of(started.size(), "port", "ports") + " started to slow-drain on "
                + fabric.getName(), String.join("\n", lines)));
    }

    private void storeCounters(long fabricId, Instant now, List<PortHealthReading.PortCounters> ports) {
        List<Object[]> rows = new ArrayList<>(ports.size());
        for (PortHealthReading.PortCounters p : ports) {
            rows.add(new Object[] {fabricId, Texts.abbreviate(p.port(), 64), Timestamp.from(now), p.online(),
                    p.creditZero(), p.txWaitTicks(), p.discards(), p.timeouts(), p.creditLoss(), p.linkErrors(),
                    p.txBytes(), p.rxBytes()});
        }
        jdbc.batchUpdate("""
                insert into port_counter_sample (fabric_id, port, read_at, online, credit_zero, txwait_ticks, discards,
                                                 timeouts, credit_loss, link_errors, tx_bytes, rx_bytes)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict do nothing
                """, rows);
    }

    /**
     * A login seen at the poll before on the same port extends its stretch; any other starts one (a device that
     * was away, or came back on another port).
     */
    private int storeLogins(long fabricId, Instant now, Instant previousPoll,
                            List<PortHealthReading.PortLogin> logins) {
        Map<Long, Object[]> latest = new HashMap<>();
        jdbc.query("""
                select distinct on (wwpn) wwpn, port, first_seen, last_seen from port_login
                 where fabric_id = ? order by wwpn, last_seen desc
                """, rs -> {
                    latest.put(rs.getLong(1), new Object[] {rs.getString(2), rs.getTimestamp(3),
                            rs.getTimestamp(4).toInstant()});
                }, fabricId);
        List<Object[]> extend = new ArrayList<>();
        List<Object[]> start = new ArrayList<>();
        int stored = 0;
        for (PortHealthReading.PortLogin login : logins) {
            long wwpn;
            try {
                wwpn = Wwn.parse(login.wwpn()).value();
            } catch (WwnFormatException e) {
                continue;
            }
            String port = Texts.abbreviate(login.port(), 64);
            Object[] last = latest.get(wwpn);
            if (last != null && last[0].equals(port) && previousPoll != null
                    && !((Instant) last[2]).isBefore(previousPoll)) {
                extend.add(new Object[] {Timestamp.from(now), fabricId, wwpn, last[1]});
            } else {
                start.add(new Object[] {fabricId, wwpn, port, Texts.abbreviate(login.fcid(), 16), Timestamp.from(now),
                        Timestamp.from(now)});
            }
            latest.put(wwpn, new Object[] {port, null, now});
            stored++;
        }
        jdbc.batchUpdate("update port_login set last_seen = ? where fabric_id = ? and wwpn = ? and first_seen = ?",
                extend);
        jdbc.batchUpdate("""
                insert into port_login (fabric_id, wwpn, port, fcid, first_seen, last_seen) values (?, ?, ?, ?, ?, ?)
                on conflict do nothing
                """, start);
        return stored;
    }

    private Result record(long fabricId, Instant at, Result result) {
        jdbc.update("""
                insert into congestion_status (fabric_id, checked_at, status, message, ports, logins, last_ok_at)
                values (?, ?, ?, ?, ?, ?, case when ? = 'OK' then ?::timestamptz end)
                on conflict (fabric_id) do update set checked_at = excluded.checked_at, status = excluded.status,
                       message = excluded.message, ports = excluded.ports, logins = excluded.logins,
                       last_ok_at = coalesce(excluded.last_ok_at, congestion_status.last_ok_at)
                """, fabricId, Timestamp.from(at), result.status(), Texts.abbreviate(result.message(), 500),
                result.ports(), result.logins(), result.status(), Timestamp.from(at));
        return result;
    }
}
