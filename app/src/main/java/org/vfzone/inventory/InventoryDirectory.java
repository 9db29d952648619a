package org.vfzone.inventory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.system.NotFoundException;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnOwnerNames;

/**
 * What the other modules ask of the inventory (which initiators and target ports are on a fabric, the names of
 * VMs and arrays), answered from the inventory's tables: no other module reads them. It also names the owners of
 * WWNs for the WWN registry, since the inventory's tables are where WWNs are held.
 */
@Component
@Transactional(readOnly = true)
public class InventoryDirectory implements WwnOwnerNames {

    /** A VM's NPIV WWPN pair on one fabric. */
    public record InitiatorPair(long vmId, String vmName, String vmWwnn, long fabricId, String fabricName,
                                String activeWwpn, String standbyWwpn) {
    }

    /** A storage array's port on a fabric. */
    public record ArrayPort(long arrayId, String arrayName, String portName, String wwpn, long fabricId,
                            String fabricName) {
    }

    /** A search result: what it is, how it is called, a line of context, and the page to open. */
    public record Hit(String type, String label, String detail, String link) {
    }

    /**
     * Inventory objects whose name contains {@code text} (any case), at most {@code limit} of each kind, and,
     * when {@code wwn} is given, every object holding that WWN (a VM's WWNN or WWPN pair, an adapter, a port).
     */
    public List<Hit> search(String text, Wwn wwn, int limit) {
        List<Hit> hits = new ArrayList<>();
        if (wwn != null) {
            String w = wwn.toString();
            hits.addAll(jdbc.query("""
                    select 'VM', v.name, 'WWNN', '/vms/' || v.id from vm v where v.wwnn = ?
                    union all
                    select 'VM', v.name, case when i.active_wwpn = ? then 'active' else 'standby' end
                           || ' WWPN on fabric ' || f.name, '/vms/' || v.id
                      from vm_fabric_identity i join vm v on v.id = i.vm_id join fabric f on f.id = i.fabric_id
                     where i.active_wwpn = ? or i.standby_wwpn = ?
                    union all
                    select 'Adapter', a.pci_address || ' on ' || h.name, case when a.wwpn = ? then 'WWPN' else 'WWNN' end,
                           '/adapters/' || a.id
                      from adapter a join host h on h.id = a.host_id where a.wwpn = ? or a.wwnn = ?
                    union all
                    select 'Target port', t.name || ' of ' || s.name, 'WWPN on fabric ' || f.name, '/arrays/' || s.id
                      from target_port t join storage_array s on s.id = t.array_id join fabric f on f.id = t.fabric_id
                     where t.wwpn = ?
                    """, HIT, w, w, w, w, w, w, w, w));
        }
        String pattern = "%" + text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        if (text.isBlank()) {
            return hits;
        }
        hits.addAll(jdbc.query("""
                (select 'VM', name, coalesce('cluster ' || cluster, ''), '/vms/' || id from vm
                  where lower(name) like ? order by name limit ?)
                union all
                (select 'Host', name, coalesce('cluster ' || cluster, ''), '/hosts/' || id from host
                  where lower(name) like ? order by name limit ?)
                union all
                (select 'Storage array', name, vendor, '/arrays/' || id from storage_array
                  where lower(name) like ? order by name limit ?)
                union all
                (select 'Fabric', name, 'side ' || side || ', ' || vendor, '/fabrics/' || id from fabric
                  where lower(name) like ? order by name limit ?)
                """, HIT, pattern, limit, pattern, limit, pattern, limit, pattern, limit));
        return hits;
    }

    private static final RowMapper<Hit> HIT = (rs, n) -> new Hit(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4));

    private static final String PAIRS = """
            select v.id, v.name, v.wwnn, f.id, f.name, i.active_wwpn, i.standby_wwpn
              from vm_fabric_identity i join vm v on v.id = i.vm_id join fabric f on f.id = i.fabric_id
            """;
    private static final RowMapper<InitiatorPair> PAIR = (rs, n) -> new InitiatorPair(rs.getLong(1),
            rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6), rs.getString(7));
    private static final String PORTS = """
            select s.id, s.name, t.name, t.wwpn, f.id, f.name
              from target_port t join storage_array s on s.id = t.array_id join fabric f on f.id = t.fabric_id
            """;
    private static final RowMapper<ArrayPort> PORT = (rs, n) -> new ArrayPort(rs.getLong(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6));

    private final JdbcTemplate jdbc;

    InventoryDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The WWPN pairs of every VM on the fabric, by VM name. */
    public List<InitiatorPair> initiatorsOnFabric(long fabricId) {
        return jdbc.query(PAIRS + " where i.fabric_id = ? order by v.name", PAIR, fabricId);
    }

    /** The VMs with a WWPN pair on this fabric and on no other: one path, no multipathing. */
    public List<InitiatorPair> singleFabricVmsOn(long fabricId) {
        return jdbc.query(PAIRS + """
                 where i.fabric_id = ?
                   and not exists (select 1 from vm_fabric_identity o where o.vm_id = i.vm_id and o.fabric_id <> ?)
                 order by v.name""", PAIR, fabricId, fabricId);
    }

    /** A VM's WWPN pairs, one per fabric, by fabric name. */
    public List<InitiatorPair> initiatorsOfVm(long vmId) {
        return jdbc.query(PAIRS + " where i.vm_id = ? order by f.name", PAIR, vmId);
    }

    /** Every VM's WWPN pairs, by VM and fabric name. */
    /** What a hypervisor manager may know a VM by: its name and BIOS UUID. */
    public record VmKeys(long vmId, String name, UUID uuid) {
    }

    public List<VmKeys> allVmKeys() {
        return jdbc.query("select id, name, uuid from vm", (rs, n) -> new VmKeys(rs.getLong(1), rs.getString(2),
                rs.getObject(3, UUID.class)));
    }

    public List<InitiatorPair> allInitiators() {
        return jdbc.query(PAIRS + " order by v.name, f.name", PAIR);
    }

    /** The storage ports on the fabric, by array and port name. */
    public List<ArrayPort> arrayPortsOnFabric(long fabricId) {
        return jdbc.query(PORTS + " where t.fabric_id = ? order by s.id, t.name", PORT, fabricId);
    }

    public List<ArrayPort> allArrayPorts() {
        return jdbc.query(PORTS + " order by s.name, t.name", PORT);
    }

    /**
     * For each VM, the physical HBA ports on the fabric of the hosts it may run on: its host, or every host of its
     * cluster. Zoning them with the VM's storage lets the hypervisor reach the storage when it moves the VM.
     */
    public Map<Long, List<String>> hostHbaWwpns(long fabricId, Collection<Long> vmIds) {
        Map<Long, List<String>> byVm = new HashMap<>();
        jdbc.query("""
                select v.id, ad.wwpn
                  from vm v
                  join host h on h.id = v.host_id or (v.cluster is not null and h.cluster = v.cluster)
                  join adapter ad on ad.host_id = h.id and ad.fabric_id = ?
                 where v.id = any (?)
                 group by v.id, ad.wwpn order by v.id, ad.wwpn
                """, rs -> {
                    byVm.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                }, fabricId, vmIds.toArray(Long[]::new));
        return byVm;
    }

    /** The VM's name; 404 when there is no such VM. */
    public String vmName(long vmId) {
        String name = vmNames(Set.of(vmId)).get(vmId);
        if (name == null) {
            throw new NotFoundException("VM", vmId);
        }
        return name;
    }

    public Map<Long, String> vmNames(Collection<Long> vmIds) {
        return names("select id, name from vm where id = any (?)", vmIds);
    }

    public Map<Long, String> arrayNames(Collection<Long> arrayIds) {
        return names("select id, name from storage_array where id = any (?)", arrayIds);
    }

    /** The fabric's name. */
    public String fabricName(long fabricId) {
        return jdbc.query("select name from fabric where id = ?", (rs, i) -> rs.getString(1), fabricId).stream()
                .findFirst().orElseThrow(() -> new NotFoundException("Fabric", fabricId));
    }

    /** Every fabric's name by id, in name order. */
    public Map<Long, String> fabricNames() {
        Map<Long, String> names = new LinkedHashMap<>();
        jdbc.query("select id, name from fabric order by name", rs -> {
            names.put(rs.getLong(1), rs.getString(2));
        });
        return names;
    }

    private Map<Long, String> names(String sql, Collection<Long> ids) {
        Map<Long, String> names = new HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.query(sql, rs -> {
                names.put(rs.getLong(1), rs.getString(2));
            }, (Object) ids.toArray(Long[]::new));
        }
        return names;
    }

    @Override
    public Map<Long, String> describe(String ownerTable, Collection<Long> ownerIds) {
        String sql = switch (ownerTable) {
            case "adapter" -> "select a.id, 'adapter ' || a.pci_address || ' on host ' || h.name"
                    + " from adapter a join host h on h.id = a.host_id where a.id = any (?)";
            case "vm" -> "select v.id, 'VM ' || v.name from vm v where v.id = any (?)";
            case "vm_fabric_identity" -> "select i.id, 'VM ' || v.name || ' on fabric ' || f.name"
                    + " from vm_fabric_identity i join vm v on v.id = i.vm_id join fabric f on f.id = i.fabric_id"
                    + " where i.id = any (?)";
            case "target_port" -> "select t.id, 'target port ' || t.name || ' of array ' || s.name"
                    + " from target_port t join storage_array s on s.id = t.array_id where t.id = any (?)";
            default -> null;
        };
        return sql == null ? Map.of() : names(sql, ownerIds);
    }
}
