package org.vfzone.logins;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.system.Texts;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnRegistry;
import org.vfzone.wwn.WwnUsage;

/** Login status read models for the VM, fabric and dashboard pages. */
@Component
@Transactional(readOnly = true)
public class LoginQueries {

    private final JdbcTemplate jdbc;
    private final InventoryDirectory inventory;
    private final WwnRegistry registry;

    LoginQueries(JdbcTemplate jdbc, InventoryDirectory inventory, WwnRegistry registry) {
        this.jdbc = jdbc;
        this.inventory = inventory;
        this.registry = registry;
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
        List<VmLogin> result = new ArrayList<>();
        for (InventoryDirectory.InitiatorPair pair : inventory.initiatorsOfVm(vmId)) {
            boolean discovered = discovered(pair.fabricId());
            Map<String, Object[]> logins = new HashMap<>();
            jdbc.query("select wwpn, fcid, switch_port, first_seen from fabric_login where fabric_id = ? and wwpn in (?, ?)",
                    rs -> {
                        logins.put(rs.getString(1), new Object[] {rs.getString(2), rs.getString(3),
                                Texts.instant(rs.getTimestamp(4))});
                    }, pair.fabricId(), pair.activeWwpn(), pair.standbyWwpn());
            Object[] active = logins.getOrDefault(pair.activeWwpn(), new Object[3]);
            Object[] standby = logins.getOrDefault(pair.standbyWwpn(), new Object[3]);
            result.add(new VmLogin(pair.fabricName(), discovered, pair.activeWwpn(), pair.standbyWwpn(),
                    (String) active[0], (String) active[1], (Instant) active[2], (String) standby[0],
                    (String) standby[1], (Instant) standby[2]));
        }
        return result;
    }

    /**
     * A login on a fabric, with what vfzone knows about its WWPN ("" when nothing) and, for a device vfzone does
     * not know, whether an admin chose to ignore it and why.
     */
    /** Where a WWPN is logged in, as last discovered: fabric, FCID, switch port, and when it was last seen. */
    public record WhereLoggedIn(long fabricId, String fabric, String fcid, String switchPort, String symbolicName,
                                Instant lastSeen) {
    }

    @Transactional(readOnly = true)
    public List<WhereLoggedIn> whereLoggedIn(Wwn wwpn) {
        Map<Long, String> fabrics = inventory.fabricNames();
        return jdbc.query("""
                select fabric_id, fcid, switch_port, symbolic_name, last_seen
                  from fabric_login where wwpn = ?::wwn
                """, (rs, i) -> new WhereLoggedIn(rs.getLong(1), fabrics.getOrDefault(rs.getLong(1), "?"),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant()), wwpn.toString())
                .stream().sorted(Comparator.comparing(WhereLoggedIn::fabric)).toList();
    }

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
        List<FabricLogin> logins = jdbc.query("""
                select l.wwpn, l.node_name, l.fcid, l.switch_port, l.symbolic_name, l.fc4, l.first_seen,
                       g.reason, g.ignored_by
                  from fabric_login l
                  left join ignored_login g on g.wwpn = l.wwpn
                 where l.fabric_id = ?
                """, (rs, n) -> new FabricLogin(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), Texts.instant(rs.getTimestamp(7)), "", rs.getString(8),
                rs.getString(9)), fabricId);
        Map<String, WwnUsage> usages =
                registry.findUsages(logins.stream().map(FabricLogin::wwpn).toList());
        return logins.stream().map(l -> usages.containsKey(l.wwpn()) ? new FabricLogin(l.wwpn(), l.nodeName(),
                        l.fcid(), l.switchPort(), l.symbolicName(), l.fc4(), l.firstSeen(),
                        usages.get(l.wwpn()).description(), l.ignoredReason(), l.ignoredBy()) : l)
                .sorted(Comparator.comparingInt((FabricLogin l) -> l.known() ? 2 : l.ignored() ? 1 : 0)
                        .thenComparing(FabricLogin::wwpn))
                .toList();
    }

    public record Discovery(String status, Instant checkedAt, String message, int logins) {
    }

    public Optional<Discovery> discovery(long fabricId) {
        return jdbc.query("select status, checked_at, message, logins from fabric_discovery where fabric_id = ?",
                (rs, n) -> new Discovery(rs.getString(1), Texts.instant(rs.getTimestamp(2)), rs.getString(3), rs.getInt(4)),
                fabricId).stream().findFirst();
    }

    public record LoginEvent(String fabric, String wwpn, String event, String fcid, Instant at) {
    }

    public List<LoginEvent> historyOfVm(long vmId, int limit) {
        List<InventoryDirectory.InitiatorPair> pairs = inventory.initiatorsOfVm(vmId);
        if (pairs.isEmpty()) {
            return List.of();
        }
        Map<Long, String> fabricNames = new HashMap<>();
        List<Long> fabricIds = new ArrayList<>();
        List<String> wwpns = new ArrayList<>();
        for (InventoryDirectory.InitiatorPair pair : pairs) {
            fabricNames.put(pair.fabricId(), pair.fabricName());
            for (String wwpn : List.of(pair.activeWwpn(), pair.standbyWwpn())) {
                fabricIds.add(pair.fabricId());
                wwpns.add(wwpn);
            }
        }
        return jdbc.query("""
                select e.fabric_id, e.wwpn, e.event, e.fcid, e.at from fabric_login_event e
                  join unnest(?::bigint[], ?::varchar[]) as mine(fabric_id, wwpn)
                    on mine.fabric_id = e.fabric_id and mine.wwpn = e.wwpn
                 order by e.at desc, e.id desc limit ?
                """, (rs, n) -> new LoginEvent(fabricNames.get(rs.getLong(1)), rs.getString(2), rs.getString(3),
                rs.getString(4), Texts.instant(rs.getTimestamp(5))), fabricIds.toArray(Long[]::new),
                wwpns.toArray(String[]::new), limit);
    }

    /** The fabrics whose logins were read successfully at least once. */
    public Set<Long> discoveredFabricIds() {
        return Set.copyOf(jdbc.queryForList("select fabric_id from fabric_discovery where status = 'OK'", Long.class));
    }

    /** Whether the fabric's logins were read successfully at least once (else "not logged in" means nothing). */
    public boolean discovered(long fabricId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from fabric_discovery where fabric_id = ? and status = 'OK')", Boolean.class,
                fabricId));
    }

    /** The WWPNs logged in to the fabric as last read. */
    public Set<String> loggedInWwpns(long fabricId) {
        return Set.copyOf(jdbc.queryForList("select wwpn from fabric_login where fabric_id = ?", String.class,
                fabricId));
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

}
