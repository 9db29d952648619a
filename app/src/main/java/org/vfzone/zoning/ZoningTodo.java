package org.vfzone.zoning;

import java.util.List;

import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.system.TodoItem;
import org.vfzone.system.TodoSource;

/**
 * Zoning's part of the to-do list: grants with no zone yet, change sets waiting for a push or gone wrong since their
 * fabric's last successful push, jobs waiting for an approver, fabrics that drifted or could not be checked.
 */
@Component
@Order(10)
class ZoningTodo implements TodoSource {

    /** A grant (VM, array) on a fabric where both have ports, with no zone vfzone holds for the pair there. */
    static final String UNZONED_GRANTS = """
            select distinct sa.vm_id, v.name as vm_name, sa.array_id, a.name as array_name, i.fabric_id,
                   f.name as fabric_name
              from storage_access sa
              join vm v on v.id = sa.vm_id
              join storage_array a on a.id = sa.array_id
              join vm_fabric_identity i on i.vm_id = sa.vm_id
              join fabric f on f.id = i.fabric_id
             where exists (select 1 from target_port tp where tp.array_id = sa.array_id and tp.fabric_id = i.fabric_id)
               and not exists (select 1 from owned_zone_object z where z.fabric_id = i.fabric_id and z.kind = 'ZONE'
                                  and z.vm_id = sa.vm_id and z.array_id = sa.array_id)
            """;

    private final JdbcTemplate jdbc;

    ZoningTodo(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A grant still without its zone on one fabric. */
    record UnzonedGrant(long vmId, String vmName, long arrayId, String arrayName, long fabricId, String fabricName) {
    }

    @Transactional(readOnly = true)
    List<UnzonedGrant> unzonedGrants() {
        return jdbc.query("select * from (" + UNZONED_GRANTS + ") g order by fabric_name, vm_name, array_name",
                (rs, i) -> new UnzonedGrant(rs.getLong("vm_id"), rs.getString("vm_name"), rs.getLong("array_id"),
                        rs.getString("array_name"), rs.getLong("fabric_id"), rs.getString("fabric_name")));
    }

    @Override
    @Transactional(readOnly = true)
    public List<TodoItem> todo() {
        return jdbc.queryForObject("""
                select (select count(*) from (%s) g) as unzoned,
                       count(*) filter (where c.status = 'APPROVED') as approved,
                       count(*) filter (where c.status = 'STALE' and %s) as stale,
                       count(*) filter (where c.status = 'FAILED' and %s) as failed,
                       count(*) filter (where c.outcome = 'UNKNOWN' and %s) as unknown,
                       (select count(*) from provision_job where status = 'WAITING_APPROVAL' and not superseded)
                           as jobs,
                       (select count(*) from fabric_drift_check where status <> 'IN_SYNC') as drift
                  from change_set c
                """.formatted(UNZONED_GRANTS, ChangeSetService.SINCE_LAST_PUSH, ChangeSetService.SINCE_LAST_PUSH,
                ChangeSetService.SINCE_LAST_PUSH), (rs, i) -> List.of(
                new TodoItem("grants-not-zoned", "Grants not yet zoned on a fabric", rs.getLong("unzoned"),
                        "/zoning/unzoned"),
                new TodoItem("changes-approved", "Change sets approved, not pushed", rs.getLong("approved"),
                        "/changes?status=APPROVED"),
                new TodoItem("changes-stale", "Change sets gone stale", rs.getLong("stale"),
                        "/changes?status=STALE&attention=true"),
                new TodoItem("changes-failed", "Change sets failed", rs.getLong("failed"),
                        "/changes?status=FAILED&attention=true"),
                new TodoItem("changes-unknown", "Pushes with an unknown outcome", rs.getLong("unknown"),
                        "/changes?outcome=UNKNOWN&attention=true"),
                new TodoItem("jobs-waiting", "Provisioning jobs waiting for an approver", rs.getLong("jobs"),
                        "/provision?status=WAITING_APPROVAL"),
                new TodoItem("fabrics-drifted", "Fabrics drifted or not readable", rs.getLong("drift"),
                        "/#drift")));
    }
}
