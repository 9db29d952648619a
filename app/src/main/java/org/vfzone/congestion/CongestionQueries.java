package org.vfzone.congestion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.traffic.TrafficQueries;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnRegistry;
import org.vfzone.wwn.WwnUsage;
import org.vfzone.zoning.StorageAccessService;
import tools.jackson.databind.json.JsonMapper;

/**
 * Congestion as read from the stored port counters: per port the symptoms over a period (counter increases, with a
 * counter that went down taken as cleared: its new value is the increase since), the devices logged in through it
 * then, and each VM's share of the port's traffic as the traffic store measured it. A VM with at least
 * {@code cause-share} percent of a slow-draining port's traffic is its likely cause; the others are bystanders. Array
 * ports with symptoms affect every VM zoned to that array.
 */
@Service
public class CongestionQueries {

    private static final JsonMapper TIMELINE_JSON = JsonMapper.builder().build();

    /** Periods up to this long are read from the readings themselves; longer ones from the hourly sums. */
    static final Duration RAW_PERIOD = Duration.ofHours(6);

    /** TxWait counts ticks of 2.5 µs (Cisco). */
    static final double TXWAIT_TICK_SECONDS = 2.5e-6;

    /** The last poll of a fabric. */
    public record Status(String status, Instant checkedAt, String message, int ports, int logins, Instant lastOkAt) {
    }

    /**
     * A port's symptoms over a period (from its first reading in it, {@code at}) or an hour: counter increases, TxWait as a share of the time, megabytes sent to
     * and received from the device. Null where the switch does not keep that counter.
     */
    public record Symptoms(String port, Instant at, boolean online, double seconds, Long creditZero, Double txWaitPercent,
                           Long discards, Long timeouts, Long creditLoss, Long linkErrors, Double txMegabytes,
                           Double rxMegabytes) {

        /** Frames held back or lost for want of credit: what a slow-drain device does to its port. */
        public boolean slowDrain(double txWaitThreshold) {
            return (txWaitPercent != null && txWaitPercent >= txWaitThreshold) || positive(discards)
                    || positive(timeouts) || positive(creditLoss);
        }

        public boolean any(double txWaitThreshold) {
            return slowDrain(txWaitThreshold) || positive(creditZero) || positive(linkErrors);
        }

        private static boolean positive(Long value) {
            return value != null && value > 0;
        }
    }

    /**
     * A device behind a port.
     *
     * @param kind          VM, HOST_HBA, ARRAY_PORT or UNKNOWN
     * @param sharePercent  its share of the port's traffic among the devices vfzone measures there, or null
     * @param role          "likely cause", "bystander", "array port", or null where the port shows no slow drain
     */
    public record Device(String wwpn, String kind, Long vmId, String name, Double megabytes, Double sharePercent,
                         String role) {
    }

    public record PortFinding(Symptoms symptoms, List<Device> devices) {
    }

    public record FabricCongestion(long fabricId, String fabricName, Instant from, Instant to, Status status,
                                   int portsRead, List<PortFinding> ports) {
    }

    /** A port a VM depends on, with its symptoms and the VM's place there. */
    public record VmPort(long fabricId, String fabricName, String port, String relation, Symptoms total,
                         Double vmSharePercent, String verdict, List<Symptoms> hours) {

        public List<Symptoms> hoursWithSymptoms(double txWaitThreshold) {
            return hours.stream().filter(h -> h.any(txWaitThreshold)).toList();
        }

        /**
         * The hourly timeline as chart data: hour starts (epoch seconds) and, per hour, TxWait (% of the time),
         * frames lost (discards and timeouts), credit-zero counts and link errors; null where the switch does not
         * count it.
         */
        /** {@link #timeline()} as JSON, for the page's chart (the template engine escapes it in its attribute). */
        public String timelineJson() {
            return TIMELINE_JSON.writeValueAsString(timeline());
        }

        public Map<String, List<Object>> timeline() {
            Map<String, List<Object>> series = new LinkedHashMap<>();
            for (String key : List.of("x", "txWaitPercent", "framesLost", "creditZero", "linkErrors")) {
                series.put(key, new ArrayList<>());
            }
            for (Symptoms h : hours) {
                series.get("x").add(h.at().getEpochSecond());
                series.get("txWaitPercent").add(h.txWaitPercent() == null ? null
                        : Math.round(h.txWaitPercent() * 100) / 100.0);
                series.get("framesLost").add(h.discards() == null && h.timeouts() == null ? null
                        : nz(h.discards()) + nz(h.timeouts()));
                series.get("creditZero").add(h.creditZero());
                series.get("linkErrors").add(h.linkErrors());
            }
            return series;
        }
    }

    /**
     * @param fpinReported whether the hosts behind the VM's WWPNs report FPIN counters at all (Linux 5.11 and later)
     * @param fpin         the FPINs those host ports received in the period, and those about the targets they see
     */
    public record VmCongestion(long vmId, String vmName, Instant from, Instant to, List<VmPort> ports,
                               List<String> unreadFabrics, boolean fpinReported, List<FpinReports.Received> fpin,
                               Map<String, String> names, List<SwitchView> switchViews) {
    }

    /**
     * What a switch itself said of one of the VM's WWPNs at its last poll (FOS 9.0 traffic controller, slow-drain
     * device quarantine).
     */
    public record SwitchView(String fabricName, String wwpn, Instant readAt, String congestionStates,
                             boolean quarantined, Long fpinCongestionSent, Long fpinPeerCongestionSent,
                             Long fpinLinkIntegritySent, Long fpinDeliverySent) {
    }

    private final JdbcTemplate jdbc;
    private final InventoryDirectory inventory;
    private final WwnRegistry wwns;
    private final TrafficQueries traffic;
    private final StorageAccessService access;
    private final CongestionProperties properties;
    private final CongestionSettings settings;
    private final FpinReports fpin;

    CongestionQueries(JdbcTemplate jdbc, InventoryDirectory inventory, WwnRegistry wwns, TrafficQueries traffic,
                      StorageAccessService access, CongestionProperties properties, CongestionSettings settings,
                      FpinReports fpin) {
        this.jdbc = jdbc;
        this.inventory = inventory;
        this.wwns = wwns;
        this.traffic = traffic;
        this.access = access;
        this.properties = properties;
        this.settings = settings;
        this.fpin = fpin;
    }

    /** The thresholds in force. */
    public CongestionSettings.Thresholds thresholds() {
        return settings.current();
    }

    public Optional<Status> status(long fabricId) {
        return jdbc.query("select status, checked_at, message, ports, logins, last_ok_at from congestion_status "
                + "where fabric_id = ?", (rs, n) -> new Status(rs.getString(1), rs.getTimestamp(2).toInstant(),
                rs.getString(3), rs.getInt(4), rs.getInt(5),
                rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()), fabricId).stream().findFirst();
    }

    /** A fabric's congestion in brief: its last poll, the ports with symptoms and those slow-draining. */
    public record FabricSummary(long fabricId, String fabricName, Status status, int portsWithSymptoms,
                                int slowDraining, String worstPort) {
    }

    /** Every fabric in brief over the period, those with slow-draining ports first. */
    public List<FabricSummary> overview(Instant from, Instant to) {
        double threshold = settings.current().txWaitPercent();
        List<FabricSummary> summaries = new ArrayList<>();
        inventory.fabricNames().forEach((fabricId, name) -> {
            List<Symptoms> ranked = symptoms(fabricId, null, from, to, false).stream()
                    .filter(s -> s.any(threshold)).sorted(WORST_FIRST).toList();
            summaries.add(new FabricSummary(fabricId, name, status(fabricId).orElse(null), ranked.size(),
                    (int) ranked.stream().filter(s -> s.slowDrain(threshold)).count(),
                    ranked.isEmpty() ? null : ranked.get(0).port()));
        });
        summaries.sort(Comparator.comparingInt(FabricSummary::slowDraining).reversed()
                .thenComparing(FabricSummary::fabricName, String.CASE_INSENSITIVE_ORDER));
        return summaries;
    }

    /** The fabric's ports with symptoms in the period, worst first, each with the devices behind it. */
    public FabricCongestion fabric(long fabricId, Instant from, Instant to) {
        String fabricName = inventory.fabricName(fabricId);
        List<Symptoms> all = symptoms(fabricId, null, from, to, false);
        CongestionSettings.Thresholds thresholds = settings.current();
        double threshold = thresholds.txWaitPercent();
        List<Symptoms> ranked = all.stream().filter(s -> s.any(threshold)).sorted(WORST_FIRST).toList();
        return new FabricCongestion(fabricId, fabricName, from, to, status(fabricId).orElse(null), all.size(),
                findings(fabricId, ranked, from, to, thresholds));
    }

    /** Ports' symptoms over a period, each with the devices behind it then and their roles under the thresholds. */
    public List<PortFinding> findings(long fabricId, List<Symptoms> ports, Instant from, Instant to,
                                      CongestionSettings.Thresholds thresholds) {
        if (ports.isEmpty()) {
            return List.of();
        }
        Map<String, List<Long>> behind = devicesOn(fabricId, ports.stream().map(Symptoms::port).toList(), from, to);
        Names names = names(fabricId, behind.values().stream().flatMap(List::stream).toList());
        Map<Long, Double> megabytes = traffic.megabytesByInitiator(
                behind.values().stream().flatMap(List::stream).toList(), from, to);
        List<PortFinding> findings = new ArrayList<>();
        for (Symptoms port : ports) {
            findings.add(new PortFinding(port, devices(behind.getOrDefault(port.port(), List.of()), names, megabytes,
                    port.slowDrain(thresholds.txWaitPercent()), thresholds.causeSharePercent())));
        }
        return findings;
    }

    /**
     * For each fabric the VM is on: the ports its WWPNs logged in through in the period, and the ports of the arrays
     * it may reach, each with its symptoms in total and per hour, and the VM's share of its own ports' traffic.
     */
    public VmCongestion vm(long vmId, Instant from, Instant to) {
        String vmName = inventory.vmName(vmId);
        CongestionSettings.Thresholds thresholds = settings.current();
        double threshold = thresholds.txWaitPercent();
        List<VmPort> ports = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        Set<Long> arrays = new HashSet<>();
        access.of(vmId).forEach(grant -> arrays.add(grant.arrayId()));
        Map<Long, List<InventoryDirectory.InitiatorPair>> pairsByFabric = new LinkedHashMap<>();
        inventory.initiatorsOfVm(vmId).forEach(p -> pairsByFabric.computeIfAbsent(p.fabricId(), k -> new ArrayList<>())
                .add(p));
        for (var entry : pairsByFabric.entrySet()) {
            long fabricId = entry.getKey();
            String fabricName = entry.getValue().get(0).fabricName();
            Optional<Status> status = status(fabricId);
            if (status.isEmpty() || status.get().lastOkAt() == null) {
                unread.add(fabricName + ": " + status.map(s -> s.status().toLowerCase() + " — " + s.message())
                        .orElse("not read yet"));
            }
            List<Long> mine = new ArrayList<>();
            entry.getValue().forEach(p -> {
                mine.add(Wwn.parse(p.activeWwpn()).value());
                mine.add(Wwn.parse(p.standbyWwpn()).value());
            });
            Map<String, List<Long>> myPorts = portsOf(fabricId, mine, from, to);
            Map<String, String> arrayPorts = new LinkedHashMap<>();
            Map<Long, String> arrayWwpns = new HashMap<>();
            for (var port : inventory.arrayPortsOnFabric(fabricId)) {
                if (arrays.contains(port.arrayId())) {
                    arrayWwpns.put(Wwn.parse(port.wwpn()).value(), port.arrayName() + " " + port.portName());
                }
            }
            portsOf(fabricId, arrayWwpns.keySet(), from, to).forEach((port, devices) -> arrayPorts.put(port,
                    String.join(", ", devices.stream().map(arrayWwpns::get).toList())));
            Set<String> wanted = new HashSet<>(myPorts.keySet());
            wanted.addAll(arrayPorts.keySet());
            if (wanted.isEmpty()) {
                continue;
            }
            Map<String, Symptoms> totals = new HashMap<>();
            symptoms(fabricId, wanted, from, to, false).forEach(s -> totals.put(s.port(), s));
            Map<String, List<Symptoms>> hours = new HashMap<>();
            symptoms(fabricId, wanted, from, to, true).forEach(s -> hours.computeIfAbsent(s.port(),
                    k -> new ArrayList<>()).add(s));
            Map<String, List<Long>> everyone = devicesOn(fabricId, myPorts.keySet(), from, to);
            Map<Long, Double> megabytes = traffic.megabytesByInitiator(
                    everyone.values().stream().flatMap(List::stream).toList(), from, to);
            for (var port : myPorts.entrySet()) {
                Symptoms total = totals.get(port.getKey());
                Double share = share(port.getValue(), everyone.getOrDefault(port.getKey(), List.of()), megabytes);
                String verdict = total == null || !total.slowDrain(threshold) ? "no slow drain"
                        : share != null && share >= thresholds.causeSharePercent() ? "likely cause" : "bystander";
                ports.add(new VmPort(fabricId, fabricName, port.getKey(), "its WWPN "
                        + String.join(", ", port.getValue().stream().map(w -> new Wwn(w).toString()).toList())
                        + " logs in here", total, share, verdict, hours.getOrDefault(port.getKey(), List.of())));
            }
            for (var port : arrayPorts.entrySet()) {
                Symptoms total = totals.get(port.getKey());
                String verdict = total == null || !total.slowDrain(threshold) ? "no slow drain"
                        : "affected: the array port it reaches is congested";
                ports.add(new VmPort(fabricId, fabricName, port.getKey(), "array port " + port.getValue(), total,
                        null, verdict, hours.getOrDefault(port.getKey(), List.of())));
            }
        }
        List<Long> wwpnsOfVm = new ArrayList<>();
        pairsByFabric.values().forEach(pairs -> pairs.forEach(p -> {
            wwpnsOfVm.add(Wwn.parse(p.activeWwpn()).value());
            wwpnsOfVm.add(Wwn.parse(p.standbyWwpn()).value());
        }));
        List<FpinReports.Received> received = fpin.received(wwpnsOfVm, from, to);
        Set<String> named = new HashSet<>();
        received.forEach(r -> {
            named.add(r.wwpn());
            if (r.remoteWwpn() != null) {
                named.add(r.remoteWwpn());
            }
        });
        Map<String, String> names = new HashMap<>();
        wwns.findUsages(named).forEach((wwpn, usage) -> names.put(wwpn, usage.description()));
        Map<Long, String> fabricNames = inventory.fabricNames();
        List<SwitchView> switchViews = jdbc.query("""
                select fabric_id, wwpn, read_at, congestion_states, quarantined, fpin_congestion_sent,
                       fpin_peer_congestion_sent, fpin_link_integrity_sent, fpin_delivery_sent
                  from device_congestion where wwpn = any (?) order by fabric_id, wwpn
                """, (rs, n) -> new SwitchView(fabricNames.get(rs.getLong(1)), new Wwn(rs.getLong(2)).toString(),
                rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getBoolean(5), rs.getObject(6, Long.class),
                rs.getObject(7, Long.class), rs.getObject(8, Long.class), rs.getObject(9, Long.class)),
                (Object) wwpnsOfVm.toArray(Long[]::new));
        return new VmCongestion(vmId, vmName, from, to, ports, unread, fpin.reports(wwpnsOfVm), received, names,
                switchViews);
    }

    private static final Comparator<Symptoms> WORST_FIRST = Comparator
            .comparingLong((Symptoms s) -> nz(s.discards()) + nz(s.timeouts()) + nz(s.creditLoss())).reversed()
            .thenComparing(Comparator.comparingDouble((Symptoms s) -> s.txWaitPercent() == null ? 0
                    : s.txWaitPercent()).reversed())
            .thenComparing(Comparator.comparingLong((Symptoms s) -> nz(s.creditZero())).reversed())
            .thenComparing(Comparator.comparingLong((Symptoms s) -> nz(s.linkErrors())).reversed())
            .thenComparing(Symptoms::port);

    private static long nz(Long value) {
        return value == null ? 0 : value;
    }

    /**
     * Counter increases between consecutive readings of each port that end in the period (the reading before the
     * period starts the first), summed per port, or per port and hour.
     */
    private List<Symptoms> symptoms(long fabricId, Collection<String> ports, Instant from, Instant to,
                                    boolean perHour) {
        String[] wanted = ports == null ? null : ports.toArray(String[]::new);
        if (perHour) {
            // the hourly sums: a reading counts in the hour it was read in
            return jdbc.query("""
                    select hour, port, online, seconds, credit_zero, txwait_ticks, discards, timeouts, credit_loss,
                           link_errors, tx_bytes, rx_bytes
                      from port_counter_hour
                     where fabric_id = ? and (?::text[] is null or port = any (?::text[]))
                       and hour >= date_trunc('hour', ?::timestamptz) and hour < ?
                     order by port, hour
                    """, (rs, n) -> symptomsOf(rs), fabricId, wanted, wanted, Timestamp.from(from),
                    Timestamp.from(to));
        }
        if (Duration.between(from, to).compareTo(RAW_PERIOD) > 0) {
            // whole UTC days from the daily sums, the hours before the first and after the last from the hourly ones
            Instant firstHour = from.truncatedTo(ChronoUnit.HOURS);
            Instant daysFrom = firstHour.truncatedTo(ChronoUnit.DAYS).equals(firstHour) ? firstHour
                    : firstHour.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
            Instant daysTo = to.truncatedTo(ChronoUnit.DAYS);
            if (!daysFrom.isBefore(daysTo)) {
                daysFrom = to;
                daysTo = to;
            }
            return jdbc.query("""
                    with b as (
                        select port, hour as t, online, seconds, credit_zero, txwait_ticks, discards, timeouts,
                               credit_loss, link_errors, tx_bytes, rx_bytes
                          from port_counter_hour
                         where fabric_id = ? and (?::text[] is null or port = any (?::text[]))
                           and ((hour >= ? and hour < ?) or (hour >= ? and hour < ?))
                        union all
                        select port, day, online, seconds, credit_zero, txwait_ticks, discards, timeouts,
                               credit_loss, link_errors, tx_bytes, rx_bytes
                          from port_counter_day
                         where fabric_id = ? and (?::text[] is null or port = any (?::text[]))
                           and day >= ? and day < ?)
                    select min(t), port, max(case when online then t end) = max(t), sum(seconds)::float8,
                           sum(credit_zero)::bigint, sum(txwait_ticks)::bigint, sum(discards)::bigint,
                           sum(timeouts)::bigint, sum(credit_loss)::bigint, sum(link_errors)::bigint,
                           sum(tx_bytes)::bigint, sum(rx_bytes)::bigint
                      from b group by port order by port
                    """, (rs, n) -> symptomsOf(rs), fabricId, wanted, wanted, Timestamp.from(firstHour),
                    Timestamp.from(daysFrom), Timestamp.from(daysTo), Timestamp.from(to), fabricId, wanted, wanted,
                    Timestamp.from(daysFrom), Timestamp.from(daysTo));
        }
        Instant lookBack = from.minus(properties.interval().multipliedBy(3));
        String key = perHour ? "port, date_trunc('hour', read_at)" : "port";
        return jdbc.query("""
                with s as (
                    select port, read_at, online,
                           lag(read_at) over w as prev_at,
                           credit_zero, lag(credit_zero) over w as p_credit_zero,
                           txwait_ticks, lag(txwait_ticks) over w as p_txwait_ticks,
                           discards, lag(discards) over w as p_discards,
                           timeouts, lag(timeouts) over w as p_timeouts,
                           credit_loss, lag(credit_loss) over w as p_credit_loss,
                           link_errors, lag(link_errors) over w as p_link_errors,
                           tx_bytes, lag(tx_bytes) over w as p_tx_bytes,
                           rx_bytes, lag(rx_bytes) over w as p_rx_bytes
                      from port_counter_sample
                     where fabric_id = ? and (?::text[] is null or port = any (?::text[]))
                       and read_at >= ? and read_at < ?
                    window w as (partition by port order by read_at)),
                d as (
                    select port, read_at, online, extract(epoch from read_at - prev_at) as seconds,
                           %1$s
                      from s where prev_at is not null and read_at > ?)
                select %2$s as key_hour, port, max(case when online then read_at end) = max(read_at), sum(seconds)::float8,
                       sum(d_credit_zero)::bigint, sum(d_txwait_ticks)::bigint, sum(d_discards)::bigint,
                       sum(d_timeouts)::bigint, sum(d_credit_loss)::bigint, sum(d_link_errors)::bigint,
                       sum(d_tx_bytes)::bigint, sum(d_rx_bytes)::bigint
                  from d group by %3$s order by port, key_hour
                """.formatted(deltas(), perHour ? "date_trunc('hour', read_at)" : "min(read_at)", key),
                (rs, n) -> symptomsOf(rs), fabricId, wanted, wanted, Timestamp.from(lookBack), Timestamp.from(to),
                Timestamp.from(from));
    }

    /** Each counter's increase; one lower than before was cleared, so its value is the increase since. */
    private static String deltas() {
        List<String> columns = List.of("credit_zero", "txwait_ticks", "discards", "timeouts", "credit_loss",
                "link_errors", "tx_bytes", "rx_bytes");
        return String.join(",\n", columns.stream()
                .map(c -> "case when %1$s < p_%1$s then %1$s else %1$s - p_%1$s end as d_%1$s".formatted(c)).toList());
    }

    private static Symptoms symptomsOf(ResultSet rs) throws SQLException {
        double seconds = rs.getDouble(4);
        Long txWait = (Long) rs.getObject(6, Long.class);
        Long tx = (Long) rs.getObject(11, Long.class);
        Long rx = (Long) rs.getObject(12, Long.class);
        return new Symptoms(rs.getString(2), rs.getTimestamp(1).toInstant(), rs.getBoolean(3), seconds, rs.getObject(5, Long.class),
                txWait == null || seconds <= 0 ? null : 100.0 * txWait * TXWAIT_TICK_SECONDS / seconds,
                rs.getObject(7, Long.class), rs.getObject(8, Long.class), rs.getObject(9, Long.class),
                rs.getObject(10, Long.class), tx == null ? null : tx / 1e6, rx == null ? null : rx / 1e6);
    }

    /** The devices logged in through each of these ports at some time in the period. */
    private Map<String, List<Long>> devicesOn(long fabricId, Collection<String> ports, Instant from, Instant to) {
        return logins(fabricId, "port", ports.toArray(String[]::new), from, to);
    }

    /** The ports these devices logged in through in the period, each with those of them it carried. */
    private Map<String, List<Long>> portsOf(long fabricId, Collection<Long> devices, Instant from, Instant to) {
        return logins(fabricId, "wwpn", devices.toArray(Long[]::new), from, to);
    }

    /** Logins in the period whose {@code column} (port or wwpn) is one of {@code values}: port → its devices. */
    private Map<String, List<Long>> logins(long fabricId, String column, Object[] values, Instant from, Instant to) {
        Map<String, List<Long>> byPort = new LinkedHashMap<>();
        if (values.length == 0) {
            return byPort;
        }
        jdbc.query("""
                select distinct port, wwpn from port_login
                 where fabric_id = ? and %s = any (?) and last_seen >= ? and first_seen < ? order by port, wwpn
                """.formatted(column), rs -> {
                    byPort.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2));
                }, fabricId, values, Timestamp.from(from), Timestamp.from(to));
        return byPort;
    }

    /** What vfzone knows each WWPN as: a VM's (by id), an array port's, a host HBA's. */
    private record Names(Map<Long, InventoryDirectory.InitiatorPair> vms, Map<Long, String> arrayPorts,
                         Map<String, WwnUsage> usages) {
    }

    private Names names(long fabricId, Collection<Long> devices) {
        Map<Long, InventoryDirectory.InitiatorPair> vms = new HashMap<>();
        for (var pair : inventory.initiatorsOnFabric(fabricId)) {
            vms.put(Wwn.parse(pair.activeWwpn()).value(), pair);
            vms.put(Wwn.parse(pair.standbyWwpn()).value(), pair);
        }
        Map<Long, String> arrayPorts = new HashMap<>();
        for (var port : inventory.arrayPortsOnFabric(fabricId)) {
            arrayPorts.put(Wwn.parse(port.wwpn()).value(), port.arrayName() + " " + port.portName());
        }
        Map<String, WwnUsage> usages = wwns.findUsages(devices.stream().map(w -> new Wwn(w).toString()).toList());
        return new Names(vms, arrayPorts, usages);
    }

    private static List<Device> devices(List<Long> wwpns, Names names, Map<Long, Double> megabytes, boolean slowDrain,
                                        double causeShare) {
        double total = wwpns.stream().mapToDouble(w -> megabytes.getOrDefault(w, 0.0)).sum();
        Map<Long, double[]> perVm = new HashMap<>();
        for (long wwpn : wwpns) {
            var pair = names.vms().get(wwpn);
            if (pair != null) {
                perVm.computeIfAbsent(pair.vmId(), k -> new double[1])[0] += megabytes.getOrDefault(wwpn, 0.0);
            }
        }
        List<Device> devices = new ArrayList<>();
        for (long wwpn : wwpns) {
            String text = new Wwn(wwpn).toString();
            var pair = names.vms().get(wwpn);
            Double mb = megabytes.get(wwpn);
            if (pair != null) {
                double vmMb = perVm.get(pair.vmId())[0];
                // a VM alone on its port carries all of it, measured or not
                Double share = total > 0 ? Double.valueOf(100.0 * vmMb / total)
                        : perVm.size() == 1 && wwpns.stream().allMatch(names.vms()::containsKey) ? 100.0 : null;
                String role = !slowDrain ? null
                        : share != null && share >= causeShare ? "likely cause" : "bystander";
                devices.add(new Device(text, "VM", pair.vmId(), pair.vmName(), mb, share, role));
            } else if (names.arrayPorts().containsKey(wwpn)) {
                devices.add(new Device(text, "ARRAY_PORT", null, names.arrayPorts().get(wwpn), mb, null,
                        slowDrain ? "array port" : null));
            } else {
                WwnUsage usage = names.usages().get(text);
                devices.add(new Device(text, usage == null ? "UNKNOWN" : "HOST_HBA", null,
                        usage == null ? "unknown to vfzone" : usage.description(), mb,
                        total > 0 && mb != null ? 100.0 * mb / total : null, null));
            }
        }
        devices.sort(Comparator.comparing((Device d) -> d.sharePercent() == null ? -1 : d.sharePercent()).reversed()
                .thenComparing(Device::wwpn));
        return devices;
    }

    /** The VM's share (its WWPNs together) of the traffic vfzone measures on a port, or null when none is measured. */
    private static Double share(List<Long> mine, List<Long> everyone, Map<Long, Double> megabytes) {
        double total = everyone.stream().mapToDouble(w -> megabytes.getOrDefault(w, 0.0)).sum();
        double own = mine.stream().mapToDouble(w -> megabytes.getOrDefault(w, 0.0)).sum();
        if (total > 0) {
            return 100.0 * own / total;
        }
        // nothing measured: a VM alone on its port carries all of it
        return mine.containsAll(everyone) ? 100.0 : null;
    }
}
