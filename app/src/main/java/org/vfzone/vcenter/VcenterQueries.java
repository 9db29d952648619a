package org.vfzone.vcenter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** What the vCenter polls found: each vCenter's last poll, and which vCenter reports a VM. */
@Component
@Transactional(readOnly = true)
public class VcenterQueries {

    /** A vCenter's last poll; {@code lastOkAt}: when its samples were last read. */
    public record Status(String status, Instant checkedAt, String message, int vms, int matched, int samples,
                         Instant lastOkAt) {
    }

    /** A vCenter that reports a VM, how it was matched, and how its last poll went. */
    public record OfVm(long vcenterId, String vcenter, String moref, String matchedBy, Status status) {
    }

    private final JdbcTemplate jdbc;

    VcenterQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Status> status(long vcenterId) {
        return jdbc.query("select status, checked_at, message, vms, matched, samples, last_ok_at from vcenter_status "
                + "where vcenter_id = ?", (rs, n) -> status(rs, 1), vcenterId).stream().findFirst();
    }

    public List<OfVm> ofVm(long vmId) {
        return jdbc.query("""
                select c.id, c.name, m.moref, m.matched_by, s.status, s.checked_at, s.message, s.vms, s.matched,
                       s.samples, s.last_ok_at
                  from vcenter_vm m join vcenter_connection c on c.id = m.vcenter_id
                  left join vcenter_status s on s.vcenter_id = c.id
                 where m.vm_id = ? order by c.name
                """, (rs, n) -> new OfVm(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5) == null ? null : status(rs, 5)), vmId);
    }

    private static Status status(ResultSet rs, int from) throws SQLException {
        return new Status(rs.getString(from), rs.getTimestamp(from + 1).toInstant(), rs.getString(from + 2),
                rs.getInt(from + 3), rs.getInt(from + 4), rs.getInt(from + 5),
                rs.getTimestamp(from + 6) == null ? null : rs.getTimestamp(from + 6).toInstant());
    }
}
