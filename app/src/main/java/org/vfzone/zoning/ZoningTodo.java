package org.vfzone.zoning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.system.TodoItem;
import org.vfzone.system.TodoSource;

/**
 * Zoning's part of the to-do list: grants with no zone yet, change sets waiting for a push or gone wrong since their
 * fabric's last successful push, fabrics that drifted or could not be checked.
 */
@Component
@Order(10)
class ZoningTodo implements TodoSource {

    private final JdbcTemplate jdbc;
    private final InventoryDirectory inventory;

    ZoningTodo(JdbcTemplate jdbc, InventoryDirectory inventory) {
        this.jdbc = jdbc;
        this.inventory = inventory;
    }

    /** A grant still without its zone on one fabric. */
    record UnzonedGrant(long vmId, String vmName, long arrayId, String arrayName, long fabricId, String fabricName) {
    }

    /**
     * Every grant (VM, array) on a fabric where the VM has a WWPN pair and the array a target port, with no zone
     * vfzone holds for the pair there: by fabric, VM and array name.
     */
    @Transactional(readOnly = true)
    List<UnzonedGrant> unzonedGrants() {
        record Grant(long vmId, long arrayId) {
        }
        List<Grant> grants = jdbc.query("select vm_id, array_id from storage_access",
                (rs, i) -> new Grant(rs.getLong(1), rs.getLong(2)));
        if (grants.isEmpty()) {
            return List.of();
        }
        Set<String> zoned = new HashSet<>(jdbc.queryForList("select fabric_id || ':' || vm_id || "
                + "':' || array_id from owned_zone_object where kind = 'ZONE' and vm_id is not null", String.class));
        List<UnzonedGrant> unzoned = new ArrayList<>();
        inventory.fabricNames().forEach((fabricId, fabricName) -> {
            Map<Long, String> vms = new HashMap<>();
            inventory.initiatorsOnFabric(fabricId).forEach(pair -> vms.put(pair.vmId(), pair.vmName()));
            Map<Long, String> arrays = new HashMap<>();
            inventory.arrayPortsOnFabric(fabricId).forEach(port -> arrays.put(port.arrayId(), port.arrayName()));
            for (Grant grant : grants) {
                if (vms.containsKey(grant.vmId()) && arrays.containsKey(grant.arrayId())
                        && !zoned.contains(fabricId + ":" + grant.vmId() + ":" + grant.arrayId())) {
                    unzoned.add(new UnzonedGrant(grant.vmId(), vms.get(grant.vmId()), grant.arrayId(),
                            arrays.get(grant.arrayId()), fabricId, fabricName));
                }
            }
        });
        unzoned.sort(Comparator.comparing(UnzonedGrant::fabricName, String.CASE_INSENSITIVE_ORDER)
                .thenComparing(UnzonedGrant::vmName, String.CASE_INSENSITIVE_ORDER)
                .thenComparing(UnzonedGrant::arrayName, String.CASE_INSENSITIVE_ORDER));
        return unzoned;
    }

    @Override
    @Transactional(readOnly = true)
    public List<TodoItem> todo() {
        long unzoned = unzonedGrants().size();
        return jdbc.queryForObject("""
                select count(*) filter (where c.status = 'APPROVED') as approved,
                       count(*) filter (where c.status = 'STALE' and %s) as stale,
                       count(*) filter (where c.status = 'FAILED' and %s) as failed,
                       count(*) filter (where c.outcome = 'UNKNOWN' and %s) as unknown,
                       (select count(*) from fabric_drift_check where status <> 'IN_SYNC') as drift
                  from change_set c
                """.formatted(ChangeSetService.SINCE_LAST_PUSH, ChangeSetService.SINCE_LAST_PUSH,
                ChangeSetService.SINCE_LAST_PUSH), (rs, i) -> List.of(
                new TodoItem("grants-not-zoned", "Grants not yet zoned on a fabric", unzoned, "/zoning/unzoned"),
                new TodoItem("changes-approved", "Change sets approved, not pushed", rs.getLong("approved"),
                        "/changes?status=APPROVED"),
                new TodoItem("changes-stale", "Change sets gone stale", rs.getLong("stale"),
                        "/changes?status=STALE&attention=true"),
                new TodoItem("changes-failed", "Change sets failed", rs.getLong("failed"),
                        "/changes?status=FAILED&attention=true"),
                new TodoItem("changes-unknown", "Pushes with an unknown outcome", rs.getLong("unknown"),
                        "/changes?outcome=UNKNOWN&attention=true"),
                new TodoItem("fabrics-drifted", "Fabrics drifted or not readable", rs.getLong("drift"),
                        "/#drift")));
    }
}
