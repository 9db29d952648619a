package org.vfzone.zoning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.logins.LoginQueries;

/** Read models for the zoning panels. */
@Component
@Transactional(readOnly = true)
class ZoningQueries {

    private final JdbcTemplate jdbc;
    private final InventoryDirectory inventory;
    private final LoginQueries logins;

    ZoningQueries(JdbcTemplate jdbc, InventoryDirectory inventory, LoginQueries logins) {
        this.jdbc = jdbc;
        this.inventory = inventory;
        this.logins = logins;
    }

    record VmNotLoggedIn(long vmId, String vmName, String fabric) {
    }

    /** VMs with zones on a discovered fabric whose WWPNs (neither active nor standby) are logged in there. */
    List<VmNotLoggedIn> zonedButNotLoggedIn(int limit) {
        List<VmNotLoggedIn> found = new ArrayList<>();
        for (Long fabricId : logins.discoveredFabricIds()) {
            Set<Long> zoned = Set.copyOf(jdbc.queryForList(
                    "select distinct vm_id from owned_zone_object where fabric_id = ? and kind = 'ZONE' and vm_id is not null",
                    Long.class, fabricId));
            if (zoned.isEmpty()) {
                continue;
            }
            Set<String> loggedIn = logins.loggedInWwpns(fabricId);
            for (InventoryDirectory.InitiatorPair pair : inventory.initiatorsOnFabric(fabricId)) {
                if (zoned.contains(pair.vmId()) && !loggedIn.contains(pair.activeWwpn())
                        && !loggedIn.contains(pair.standbyWwpn())) {
                    found.add(new VmNotLoggedIn(pair.vmId(), pair.vmName(), pair.fabricName()));
                }
            }
        }
        return found.stream().sorted(Comparator.comparing(VmNotLoggedIn::vmName)
                .thenComparing(VmNotLoggedIn::fabric)).limit(limit).toList();
    }

    record ChangeSetRow(long id, String status, String createdBy, Instant createdAt, String approvedBy,
                        String outcome) {
    }

    List<ChangeSetRow> recentChangeSets(long fabricId, int limit) {
        return jdbc.query("""
                select id, status, created_by, created_at, approved_by, outcome from change_set
                 where fabric_id = ? order by created_at desc, id desc limit ?
                """, (rs, i) -> new ChangeSetRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6)), fabricId, limit);
    }

    /** @param switchProtocol how the switch was spoken to at the last read that succeeded, or null */
    record DriftCheck(String status, Instant checkedAt, String message, String switchProtocol) {
    }

    Optional<DriftCheck> lastDriftCheck(long fabricId) {
        return jdbc.query("select status, checked_at, message, switch_protocol from fabric_drift_check "
                        + "where fabric_id = ?", (rs, i) -> new DriftCheck(rs.getString(1),
                        rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4)), fabricId)
                .stream().findFirst();
    }

    /**
     * Per fabric the VM has a WWPN pair on: how many of vfzone's zones on that fabric (as last pushed) hold the
     * active and the standby WWPN. Live migration needs both zoned.
     */
    record ZoneCheck(String fabric, long zones, long withActive, long withStandby) {
        public boolean bothZoned() {
            return zones > 0 && withActive == zones && withStandby == zones;
        }
    }

    List<ZoneCheck> zoneChecks(long vmId) {
        return inventory.initiatorsOfVm(vmId).stream().map(pair -> jdbc.queryForObject("""
                select count(o.id),
                       count(o.id) filter (where position(? in o.members) > 0),
                       count(o.id) filter (where position(? in o.members) > 0)
                  from owned_zone_object o
                 where o.fabric_id = ? and o.kind = 'ZONE' and o.vm_id = ?
                """, (rs, i) -> new ZoneCheck(pair.fabricName(), rs.getLong(1), rs.getLong(2), rs.getLong(3)),
                pair.activeWwpn(), pair.standbyWwpn(), pair.fabricId(), vmId)).toList();
    }
}
