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
import java.util.Locale;
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
        Instant now = clock.instant();
        Timestamp before = Timestamp.from(now.minus(properties.retention()));
        jdbc.update("delete from port_counter_sample where read_at < ?",
                Timestamp.from(now.minus(properties.rawRetention())));
        jdbc.update("delete from port_counter_hour where hour < ?", before);
        jdbc.update("delete from port_counter_day where day < ?", before);
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
            List<CongestionQueries.Symptoms> interval = storeCounters(fabricId, now, reading.ports());
            int logins = storeLogins(fabricId, now, previousPoll, reading.logins());
            storeDevices(fabricId, now, reading.devices());
            if (previousPoll != null && previousPoll.isBefore(now)) {
                announce(fabric, previousPoll, now, interval);
            }
            return record(fabricId, now, new Result("OK", null, reading.ports().size(), logins));
        });
    }

    /**
     * Ports that started to slow-drain in the interval just read are announced once ({@code PORT_SLOW_DRAINING}, with
     * the VMs behind them and their roles); a port that no longer does is forgotten, so it is announced again if it
     * starts again.
     */
    private void announce(Fabric fabric, Instant since, Instant now, List<CongestionQueries.Symptoms> interval) {
        long fabricId = fabric.getId();
        CongestionSettings.Thresholds thresholds = queries.thresholds();
        Map<String, CongestionQueries.PortFinding> draining = new LinkedHashMap<>();
        // the period ends after this reading: it closes the interval
        queries.findings(fabricId, interval.stream().filter(p -> p.slowDrain(thresholds.txWaitPercent())).toList(),
                since, now.plusMillis(1), thresholds).forEach(f -> draining.put(f.symptoms().port(), f));
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
                line.append(String.format(Locale.ROOT, " TxWait %.1f %% of the time,", s.txWaitPercent()));
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

    /**
     * Stores the reading as reported, adds each port's increase since its reading before to the hour it was read in,
     * and keeps the reading as the base of the next. Returns the increases: this interval's symptoms per port.
     */
    private List<CongestionQueries.Symptoms> storeCounters(long fabricId, Instant now,
                                                           List<PortHealthReading.PortCounters> ports) {
        Map<String, Object[]> last = new HashMap<>();
        jdbc.query("""
                select port, read_at, credit_zero, txwait_ticks, discards, timeouts, credit_loss, link_errors,
                       tx_bytes, rx_bytes
                  from port_counter_last where fabric_id = ?
                """, rs -> {
                    Object[] row = new Object[9];
                    row[0] = rs.getTimestamp(2).toInstant();
                    for (int i = 0; i < 8; i++) {
                        row[1 + i] = rs.getObject(3 + i, Long.class);
                    }
                    last.put(rs.getString(1), row);
                }, fabricId);
        List<Object[]> samples = new ArrayList<>(ports.size());
        List<Object[]> hours = new ArrayList<>(ports.size());
        List<Object[]> bases = new ArrayList<>(ports.size());
        List<CongestionQueries.Symptoms> interval = new ArrayList<>(ports.size());
        Timestamp at = Timestamp.from(now);
        Timestamp hour = Timestamp.from(now.truncatedTo(ChronoUnit.HOURS));
        for (PortHealthReading.PortCounters p : ports) {
            String port = Texts.abbreviate(p.port(), 64);
            Long[] counters = {p.creditZero(), p.txWaitTicks(), p.discards(), p.timeouts(), p.creditLoss(),
                    p.linkErrors(), p.txBytes(), p.rxBytes()};
            samples.add(new Object[] {fabricId, port, at, p.online(), counters[0], counters[1], counters[2],
                    counters[3], counters[4], counters[5], counters[6], counters[7]});
            bases.add(new Object[] {fabricId, port, at, counters[0], counters[1], counters[2], counters[3],
                    counters[4], counters[5], counters[6], counters[7]});
            Object[] before = last.get(port);
            if (before == null || !((Instant) before[0]).isBefore(now)) {
                continue;
            }
            double seconds = (now.toEpochMilli() - ((Instant) before[0]).toEpochMilli()) / 1000.0;
            Long[] d = new Long[8];
            for (int i = 0; i < 8; i++) {
                d[i] = increase((Long) before[1 + i], counters[i]);
            }
            hours.add(new Object[] {fabricId, hour, port, seconds, p.online(), d[0], d[1], d[2], d[3], d[4], d[5],
                    d[6], d[7]});
            interval.add(new CongestionQueries.Symptoms(port, now, p.online(), seconds, d[0],
                    d[1] == null ? null : 100.0 * d[1] * CongestionQueries.TXWAIT_TICK_SECONDS / seconds, d[2], d[3],
                    d[4], d[5], d[6] == null ? null : d[6] / 1e6, d[7] == null ? null : d[7] / 1e6));
        }
        jdbc.batchUpdate("""
                insert into port_counter_sample (fabric_id, port, read_at, online, credit_zero, txwait_ticks, discards,
                                                 timeouts, credit_loss, link_errors, tx_bytes, rx_bytes)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict do nothing
                """, samples);
        String sums = String.join(", ", COUNTERS.stream().map(c -> ("%1$s = case when excluded.%1$s is null "
                + "then h.%1$s else coalesce(h.%1$s, 0) + excluded.%1$s end").formatted(c)).toList());
        jdbc.batchUpdate("""
                insert into port_counter_hour as h (fabric_id, hour, port, seconds, online, credit_zero, txwait_ticks,
                                                    discards, timeouts, credit_loss, link_errors, tx_bytes, rx_bytes)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (fabric_id, hour, port) do update set seconds = h.seconds + excluded.seconds,
                       online = excluded.online, %s
                """.formatted(sums), hours);
        Timestamp day = Timestamp.from(now.truncatedTo(ChronoUnit.DAYS));
        hours.forEach(row -> row[1] = day);
        jdbc.batchUpdate("""
                insert into port_counter_day as h (fabric_id, day, port, seconds, online, credit_zero, txwait_ticks,
                                                   discards, timeouts, credit_loss, link_errors, tx_bytes, rx_bytes)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (fabric_id, day, port) do update set seconds = h.seconds + excluded.seconds,
                       online = excluded.online, %s
                """.formatted(sums), hours);
        jdbc.batchUpdate("""
                insert into port_counter_last (fabric_id, port, read_at, credit_zero, txwait_ticks, discards, timeouts,
                                               credit_loss, link_errors, tx_bytes, rx_bytes)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (fabric_id, port) do update set read_at = excluded.read_at, %s
                """.formatted(String.join(", ", COUNTERS.stream().map(c -> "%1$s = excluded.%1$s".formatted(c))
                .toList())), bases);
        return interval;
    }

    private static final List<String> COUNTERS = List.of("credit_zero", "txwait_ticks", "discards", "timeouts",
            "credit_loss", "link_errors", "tx_bytes", "rx_bytes");

    /** A counter's increase; one lower than before was cleared (or wrapped), so its value is the increase since. */
    static Long increase(Long before, Long now) {
        if (before == null || now == null) {
            return null;
        }
        return now < before ? now : now - before;
    }

    /** The switch's own view of each device, replacing the last poll's. */
    private void storeDevices(long fabricId, Instant now, List<PortHealthReading.DeviceState> devices) {
        jdbc.update("delete from device_congestion where fabric_id = ?", fabricId);
        List<Object[]> rows = new ArrayList<>();
        for (PortHealthReading.DeviceState d : devices) {
            try {
                rows.add(new Object[] {fabricId, Wwn.parse(d.wwpn()).value(), Timestamp.from(now),
                        Texts.abbreviate(String.join(", ", d.congestionStates()), 200), d.quarantined(),
                        d.fpinCongestionSent(), d.fpinPeerCongestionSent(), d.fpinLinkIntegritySent(),
                        d.fpinDeliverySent()});
            } catch (WwnFormatException e) {
                // a device the switch names with something that is not a WWPN is not one vfzone can place
            }
        }
        jdbc.batchUpdate("""
                insert into device_congestion (fabric_id, wwpn, read_at, congestion_states, quarantined,
                                               fpin_congestion_sent, fpin_peer_congestion_sent,
                                               fpin_link_integrity_sent, fpin_delivery_sent)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing
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
