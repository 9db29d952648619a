package org.vfzone.zoning;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Login status read models for the VM, fabric and dashboard pages. */
@Component
@Transactional(readOnly = true)
public class LoginQueries {

    private final JdbcTemplate jdbc;

    LoginQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A VM's WWPN pair on one fabric and which of the two is logged in. Only the standby logged in means the VM
     * runs on another host now (it moved); neither means its storage is unreachable on that fabric.
     */
    public record VmLogin(String fabric, boolean discovered, String activeWwpn, String standbyWwpn, String activeFcid,
                          String activePort, Instant activeSince, String standbyFcid, String standbyPort,
                          Instant standbySince) {
        public String status() {
            if (!discovered) {
                return "NOT_DISCOVERED";
            }
            if (activeFcid != null) {
                return standbyFcid != null ? "BOTH_LOGGED_IN" : "LOGGED_IN";
            }
            return standbyFcid != null ? "STANDBY_LOGGED_IN" : "NOT_LOGGED_IN";
        }
    }

    public List<VmLogin> ofVm(long vmId) {
        return jdbc.query("""
                select f.name, d.fabric_id is not null, i.active_wwpn, i.standby_wwpn,
                       a.fcid, a.switch_port, a.first_seen, s.fcid, s.switch_port, s.first_seen
                  from vm_fabric_identity i
                  join fabric f on f.id = i.fabric_id
                  left join fabric_discovery d on d.fabric_id = i.fabric_id and d.status = 'OK'
                  left join fabric_login a on a.fabric_id = i.fabric_id and a.wwpn = i.active_wwpn
                  left join fabric_login s on s.fabric_id = i.fabric_id and s.wwpn = i.standby_wwpn
                 where i.vm_id = ? order by f.name
                """, (rs, n) -> new VmLogin(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), instant(rs.getTimestamp(7)), rs.getString(8), rs.getString(9),
                instant(rs.getTimestamp(10))), vmId);
    }

    /**
     * A login on a fabric, with what vfzone knows about its WWPN ("" when nothing) and, for a device vfzone does
     * not know, whether an admin chose to ignore it and why.
     */
    public record FabricLogin(String wwpn, String nodeName, String fcid, String switchPort, String symbolicName,
                              String fc4, Instant firstSeen, String knownAs, String ignoredReason, String ignoredBy) {
        public boolean known() {
            return knownAs != null && !knownAs.isEmpty();
        }

        public boolean ignored() {
            return !known() && ignoredReason != null;
        }

        /** A device vfzone does not know and nobody has ignored: to import or to ignore. */
        public boolean unknown() {
            return !known() && ignoredReason == null;
        }

        @JsonProperty("status")
        public String status() {
            return known() ? "KNOWN" : ignored() ? "IGNORED" : "UNKNOWN";
        }
    }

    /** The fabric's logins: unknown devices first, then ignored ones, then those vfzone knows. */
    public List<FabricLogin> ofFabric(long fabricId) {
        return jdbc.query("""
                select l.wwpn, l.node_name, l.fcid, l.switch_port, l.symbolic_name, l.fc4, l.first_seen,
                       case r.owner_table
                           when 'vm_fabric_identity' then (select 'VM ' || v.name || case r.owner_column
                                   when 'active_wwpn' then ' (active)' else ' (standby)' end
                                   from vm_fabric_identity i join vm v on v.id = i.vm_id where i.id = r.owner_id)
                           when 'adapter' then (select 'HBA ' || a.pci_address || ' on ' || h.name
                                   from adapter a join host h on h.id = a.host_id where a.id = r.owner_id)
                           when 'target_port' then (select 'port ' || t.name || ' of ' || s.name
                                   from target_port t join storage_array s on s.id = t.array_id where t.id = r.owner_id)
                           else '' end,
                       g.reason, g.ignored_by
                  from fabric_login l
                  left join wwn_registry r on r.wwn = l.wwpn
                  left join ignored_login g on g.wwpn = l.wwpn
                 where l.fabric_id = ?
                 order by case when r.wwn is not null then 2 when g.wwpn is not null then 1 else 0 end, l.wwpn
                """, (rs, n) -> new FabricLogin(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), instant(rs.getTimestamp(7)), rs.getString(8), rs.getString(9),
                rs.getString(10)), fabricId);
    }

    public record Discovery(String status, Instant checkedAt, String message, int logins) {
    }

    public Optional<Discovery> discovery(long fabricId) {
        return jdbc.query("select status, checked_at, message, logins from fabric_discovery where fabric_id = ?",
                (rs, n) -> new Discovery(rs.getString(1), instant(rs.getTimestamp(2)), rs.getString(3), rs.getInt(4)),
                fabricId).stream().findFirst();
    }

    public record LoginEvent(String fabric, String wwpn, String event, String fcid, Instant at) {
    }

    public List<LoginEvent> historyOfVm(long vmId, int limit) {
        return jdbc.query("""
                select f.name, e.wwpn, e.event, e.fcid, e.at from fabric_login_event e
                  join fabric f on f.id = e.fabric_id
                  join vm_fabric_identity i on i.fabric_id = e.fabric_id and e.wwpn in (i.active_wwpn, i.standby_wwpn)
                 where i.vm_id = ? order by e.at desc, e.id desc limit ?
                """, (rs, n) -> new LoginEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                instant(rs.getTimestamp(5))), vmId, limit);
    }

    public record VmNotLoggedIn(long vmId, String vmName, String fabric) {
    }

    /** VMs with zones on a discovered fabric whose WWPNs (neither active nor standby) are logged in there. */
    public List<VmNotLoggedIn> zonedButNotLoggedIn(int limit) {
        return jdbc.query("""
                select distinct v.id, v.name, f.name
                  from owned_zone_object o
                  join fabric_discovery d on d.fabric_id = o.fabric_id and d.status = 'OK'
                  join vm_fabric_identity i on i.vm_id = o.vm_id and i.fabric_id = o.fabric_id
                  join vm v on v.id = i.vm_id
                  join fabric f on f.id = i.fabric_id
                 where o.kind = 'ZONE'
                   and not exists (select 1 from fabric_login l where l.fabric_id = i.fabric_id
                                                              and l.wwpn in (i.active_wwpn, i.standby_wwpn))
                 order by v.name limit ?
                """, (rs, n) -> new VmNotLoggedIn(rs.getLong(1), rs.getString(2), rs.getString(3)), limit);
    }

    /** Of these WWPNs, the ones logged in to some fabric; null when no fabric was ever discovered. */
    public Set<String> loggedInAnywhere(List<String> wwpns) {
        Long discovered = jdbc.queryForObject("select count(*) from fabric_discovery where status = 'OK'", Long.class);
        if (discovered == null || discovered == 0 || wwpns.isEmpty()) {
            return null;
        }
        return Set.copyOf(jdbc.queryForList("select distinct wwpn from fabric_login where wwpn = any (?::varchar[])",
                String.class, (Object) wwpns.toArray(String[]::new)));
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
