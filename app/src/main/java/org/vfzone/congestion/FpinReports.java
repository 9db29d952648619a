package org.vfzone.congestion;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.Texts;
import org.vfzone.traffic.SysfsCounter;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFormatException;

/**
 * The hosts' FPIN and congestion-signal counters, as collectors report them when they change: stored per host port
 * and remote port, and read back as increases over a period (a counter lower than before was reset: its value is the
 * increase since).
 */
@Service
public class FpinReports {

    /** The counters vfzone keeps, in the kernel's names; the collector may send more, which are ignored. */
    static final List<String> COUNTERS = List.of("fpin_dn", "fpin_li", "fpin_cn", "fpin_cn_credit_stall",
            "fpin_cn_oversubscription", "fpin_cn_lost_credit", "cn_sig_warn", "cn_sig_alarm");
    static final int MAX_HOSTS = 256;
    static final int MAX_REMOTE_PORTS = 4096;

    /** A collector's report: when it read, and per FC host port its counters and its remote ports'. */
    public record Report(String timestamp, List<HostPort> hosts) {
    }

    public record HostPort(String wwpn, Map<String, String> counters, List<RemotePort> remotePorts) {
    }

    public record RemotePort(String wwpn, Map<String, String> counters) {
    }

    /**
     * FPINs received over a period by one host port (remote null) or about one remote port (peer congestion).
     * Null where the host's kernel does not keep that counter.
     */
    public record Received(String wwpn, String remoteWwpn, Long delivery, Long linkIntegrity, Long congestion,
                           Long creditStall, Long oversubscription, Long lostCredit, Long signalWarnings,
                           Long signalAlarms) {

        public boolean any() {
            for (Long value : new Long[] {delivery, linkIntegrity, congestion, creditStall, oversubscription,
                    lostCredit, signalWarnings, signalAlarms}) {
                if (value != null && value > 0) {
                    return true;
                }
            }
            return false;
        }
    }

    private final JdbcTemplate jdbc;

    FpinReports(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a report whole, or refuses it whole naming the field and why. Returns the rows stored. */
    @Transactional
    public int record(Report report) {
        Instant at = Texts.utcTime(report.timestamp(), "timestamp");
        if (report.hosts() == null || report.hosts().size() > MAX_HOSTS) {
            throw RuleViolation.invalid("hosts", "give 1 to " + MAX_HOSTS + " host ports");
        }
        List<Object[]> rows = new ArrayList<>();
        int remotes = 0;
        for (int h = 0; h < report.hosts().size(); h++) {
            HostPort host = report.hosts().get(h);
            String field = "hosts[" + h + "]";
            long wwpn = wwpn(host.wwpn(), field + ".wwpn");
            rows.add(row(wwpn, 0, at, host.counters(), field + ".counters"));
            List<RemotePort> remotePorts = host.remotePorts() == null ? List.of() : host.remotePorts();
            remotes += remotePorts.size();
            if (remotes > MAX_REMOTE_PORTS) {
                throw RuleViolation.invalid(field + ".remotePorts", "at most " + MAX_REMOTE_PORTS + " remote ports");
            }
            for (int r = 0; r < remotePorts.size(); r++) {
                RemotePort remote = remotePorts.get(r);
                String remoteField = field + ".remotePorts[" + r + "]";
                rows.add(row(wwpn, wwpn(remote.wwpn(), remoteField + ".wwpn"), at, remote.counters(),
                        remoteField + ".counters"));
            }
        }
        jdbc.batchUpdate("""
                insert into fpin_sample (wwpn, remote_wwpn, read_at, fpin_dn, fpin_li, fpin_cn, fpin_cn_credit_stall,
                                         fpin_cn_oversubscription, fpin_cn_lost_credit, cn_sig_warn, cn_sig_alarm)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing
                """, rows);
        return rows.size();
    }

    private static Object[] row(long wwpn, long remote, Instant at, Map<String, String> counters, String field) {
        Object[] row = new Object[3 + COUNTERS.size()];
        row[0] = wwpn;
        row[1] = remote;
        row[2] = Timestamp.from(at);
        Map<String, String> given = counters == null ? Map.of() : counters;
        for (int i = 0; i < COUNTERS.size(); i++) {
            String text = given.get(COUNTERS.get(i));
            row[3 + i] = text == null ? null : counter(text, field + "." + COUNTERS.get(i));
        }
        return row;
    }

    /** A sysfs counter ({@code 0x…} as the kernel prints it, or decimal); "not supported" is null. */
    private static Long counter(String text, String field) {
        try {
            Long value = SysfsCounter.parse(text);
            if (value != null && value < 0) {
                throw new NumberFormatException("above 2^63-1");
            }
            return value;
        } catch (NumberFormatException e) {
            throw RuleViolation.invalid(field, "must be a counter in hex (0x…) or decimal from 0 to 2^63-1, got '"
                    + Texts.abbreviate(text.strip(), 40) + "'");
        }
    }

    private static long wwpn(String text, String field) {
        try {
            return Wwn.parse(text == null ? "" : text).value();
        } catch (WwnFormatException e) {
            throw RuleViolation.invalid(field, e.getMessage());
        }
    }

    /** Whether any of these host ports ever reported FPIN counters. */
    public boolean reports(Collection<Long> wwpns) {
        Boolean any = jdbc.queryForObject("select exists (select 1 from fpin_sample where wwpn = any (?))",
                Boolean.class, (Object) wwpns.toArray(Long[]::new));
        return Boolean.TRUE.equals(any);
    }

    /** The FPINs these host ports received in the period, per host port and per remote port, those with any first. */
    public List<Received> received(Collection<Long> wwpns, Instant from, Instant to) {
        if (wwpns.isEmpty()) {
            return List.of();
        }
        StringBuilder lags = new StringBuilder();
        StringBuilder sums = new StringBuilder();
        for (String c : COUNTERS) {
            lags.append(", ").append(c).append(", lag(").append(c).append(") over w as p_").append(c);
            sums.append(", sum(case when ").append(c).append(" < p_").append(c).append(" then ").append(c)
                    .append(" else ").append(c).append(" - p_").append(c).append(" end)::bigint");
        }
        Map<String, Received> received = new LinkedHashMap<>();
        jdbc.query("""
                with s as (
                    select wwpn, remote_wwpn, read_at, lag(read_at) over w as prev_at %s
                      from fpin_sample where wwpn = any (?) and read_at < ?
                    window w as (partition by wwpn, remote_wwpn order by read_at))
                select wwpn, remote_wwpn %s
                  from s where prev_at is not null and read_at >= ?
                 group by wwpn, remote_wwpn order by wwpn, remote_wwpn
                """.formatted(lags, sums), rs -> {
                    long remote = rs.getLong(2);
                    Long[] v = new Long[COUNTERS.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = rs.getObject(3 + i, Long.class);
                    }
                    Received r = new Received(new Wwn(rs.getLong(1)).toString(),
                            remote == 0 ? null : new Wwn(remote).toString(), v[0], v[1], v[2], v[3], v[4], v[5], v[6],
                            v[7]);
                    received.put(r.wwpn() + "/" + r.remoteWwpn(), r);
                }, wwpns.toArray(Long[]::new), Timestamp.from(to), Timestamp.from(from));
        return received.values().stream().sorted((a, b) -> Boolean.compare(b.any(), a.any())).toList();
    }
}
