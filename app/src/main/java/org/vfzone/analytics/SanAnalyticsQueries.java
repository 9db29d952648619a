package org.vfzone.analytics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnRegistry;
import org.vfzone.wwn.WwnUsage;

/** What the switches' analytics last said: per fabric whether it has any, and the flows with their rates. */
@Component
@Transactional(readOnly = true)
public class SanAnalyticsQueries {

    /** A fabric's last poll. {@code lastOkAt}: when flows were last read (charts have no newer data than that). */
    public record Status(String status, Instant checkedAt, String message, int flows, int initiators, int stored,
                         int hostReports, Instant lastOkAt) {
    }

    /**
     * One initiator–target flow as last read, with what vfzone knows each end as; rates are null for a flow read
     * once so far.
     */
    public record FlowRow(long fabricId, String initiator, String initiatorIs, String target, String targetIs,
                          Instant readAt, Float readIops, Float writeIops, Float readMbps, Float writeMbps) {
    }

    private final JdbcTemplate jdbc;
    private final WwnRegistry wwns;

    SanAnalyticsQueries(JdbcTemplate jdbc, WwnRegistry wwns) {
        this.jdbc = jdbc;
        this.wwns = wwns;
    }

    public Optional<Status> status(long fabricId) {
        return jdbc.query("""
                select status, checked_at, message, flows, initiators, stored, host_reports, last_ok_at
                  from san_analytics_status where fabric_id = ?
                """, (rs, n) -> new Status(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getInt(7),
                rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant()), fabricId).stream().findFirst();
    }

    /** The fabric's busiest flows (by throughput, then IOPS) as last read. */
    public List<FlowRow> busiestFlows(long fabricId, int limit) {
        return named(jdbc.query(SELECT + " where fabric_id = ? order by " + BUSIEST + " limit ?", this::row,
                fabricId, limit));
    }

    /** The flows of one initiator, on whichever fabric, busiest first. */
    public List<FlowRow> flowsOf(Wwn initiator) {
        return named(jdbc.query(SELECT + " where initiator = ? order by " + BUSIEST, this::row, initiator.value()));
    }

    private static final String SELECT = """
            select fabric_id, initiator, target, read_at, read_iops, write_iops, read_mbps, write_mbps
              from san_analytics_flow""";
    private static final String BUSIEST = "coalesce(read_mbps, 0) + coalesce(write_mbps, 0) desc, "
            + "coalesce(read_iops, 0) + coalesce(write_iops, 0) desc, initiator, target";

    private FlowRow row(ResultSet rs, int n) throws SQLException {
        return new FlowRow(rs.getLong(1), new Wwn(rs.getLong(2)).toString(), null, new Wwn(rs.getLong(3)).toString(),
                null, rs.getTimestamp(4).toInstant(), real(rs, 5), real(rs, 6), real(rs, 7), real(rs, 8));
    }

    private static Float real(ResultSet rs, int column) throws SQLException {
        float value = rs.getFloat(column);
        return rs.wasNull() ? null : value;
    }

    private List<FlowRow> named(List<FlowRow> rows) {
        List<String> ends = new ArrayList<>();
        rows.forEach(r -> {
            ends.add(r.initiator());
            ends.add(r.target());
        });
        Map<String, WwnUsage> usages = wwns.findUsages(ends);
        return rows.stream().map(r -> new FlowRow(r.fabricId(), r.initiator(), describe(usages, r.initiator()),
                r.target(), describe(usages, r.target()), r.readAt(), r.readIops(), r.writeIops(), r.readMbps(),
                r.writeMbps())).toList();
    }

    private static String describe(Map<String, WwnUsage> usages, String wwn) {
        WwnUsage usage = usages.get(wwn);
        return usage == null ? null : usage.description();
    }
}
