package org.vfzone.zoning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.audit.AuditLog;
import org.vfzone.connection.FabricConnector;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.security.FabricAccess;
import org.vfzone.security.Role;
import org.vfzone.system.RuleViolation;

/**
 * Takes over zones made before vfzone. A zone of the fabric's effective configuration is proposed for a VM when it
 * holds that VM's WWPN (active or standby) — and no other VM's — and at least one known target port. Adopting
 * records the zone as owned and grants the VM access to the arrays behind those ports; the switch is not touched.
 * From then on the zone is vfzone's: the next plan renames it to the fabric's template, through a reviewed change
 * set like any other change. Zones that match nothing stay foreign.
 */
@Service
public class ZoneAdoption {

    public record Proposal(String zone, long vmId, String vmName, List<Long> arrayIds, List<String> arrayNames,
                           List<String> members) {
    }

    private final FabricService fabrics;
    private final FabricConnector connector;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final AuditLog audit;
    private final InventoryDirectory inventory;

    ZoneAdoption(FabricService fabrics, FabricConnector connector, JdbcTemplate jdbc, TransactionTemplate transaction,
                 AuditLog audit, InventoryDirectory inventory, FabricAccess access) {
        this.access = access;
        this.inventory = inventory;
        this.fabrics = fabrics;
        this.connector = connector;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.audit = audit;
    }

    private final FabricAccess access;

    /** Zones of the fabric's effective configuration that vfzone could adopt, read from the switch now. */
    public List<Proposal> proposals(long fabricId) {
        Fabric fabric = fabrics.get(fabricId);
        ZoningDatabase live;
        try {
            live = connector.driver(fabric).read();
        } catch (FabricException e) {
            throw RuleViolation.conflict(null, "Cannot read the zoning of fabric " + fabric.getName() + ": "
                    + e.getMessage());
        }
        Set<String> owned = new HashSet<>(jdbc.queryForList(
                "select name from owned_zone_object where fabric_id = ? and kind = 'ZONE'", String.class, fabricId));
        Map<String, long[]> vmByWwpn = new HashMap<>();
        Map<Long, String> vmNames = new HashMap<>();
        for (InventoryDirectory.InitiatorPair pair : inventory.initiatorsOnFabric(fabricId)) {
            vmByWwpn.put(pair.activeWwpn(), new long[] {pair.vmId()});
            vmByWwpn.put(pair.standbyWwpn(), new long[] {pair.vmId()});
            vmNames.put(pair.vmId(), pair.vmName());
        }
        Map<String, long[]> arrayByWwpn = new HashMap<>();
        Map<Long, String> arrayNames = new HashMap<>();
        for (InventoryDirectory.ArrayPort port : inventory.arrayPortsOnFabric(fabricId)) {
            arrayByWwpn.put(port.wwpn(), new long[] {port.arrayId()});
            arrayNames.put(port.arrayId(), port.arrayName());
        }
        List<Proposal> proposals = new ArrayList<>();
        for (Zone zone : live.activeZones().values()) {
            if (zone.name().startsWith(fabric.getOwnedPrefix()) || owned.contains(zone.name())) {
                continue;
            }
            Zone defined = live.zones().getOrDefault(zone.name(), zone);
            if (defined.targetCreated() || zone.targetCreated()) {
                continue; // the storage target manages its own peer zones: vfzone never takes them over
            }
            Set<String> members = live.resolve(live.zones().getOrDefault(zone.name(), zone));
            Set<Long> vms = new LinkedHashSet<>();
            Set<Long> arrays = new LinkedHashSet<>();
            for (String wwn : members) {
                if (vmByWwpn.containsKey(wwn)) {
                    vms.add(vmByWwpn.get(wwn)[0]);
                }
                if (arrayByWwpn.containsKey(wwn)) {
                    arrays.add(arrayByWwpn.get(wwn)[0]);
                }
            }
            if (vms.size() == 1 && !arrays.isEmpty()) {
                long vm = vms.iterator().next();
                proposals.add(new Proposal(zone.name(), vm, vmNames.get(vm), List.copyOf(arrays),
                        arrays.stream().map(arrayNames::get).toList(), List.copyOf(members)));
            }
        }
        return proposals;
    }

    /**
     * Adopts the named zones (each must still be proposed): records them as owned and grants the VMs access to their
     * arrays, in one transaction. Nothing is sent to the switch.
     */
    public int adopt(long fabricId, List<String> zoneNames, String user) {
        access.require(Role.OPERATOR, fabricId, fabrics.get(fabricId).getName(), "adopt zones on");
        if (zoneNames == null || zoneNames.isEmpty()) {
            throw RuleViolation.invalid("zones", "choose at least one zone to adopt");
        }
        Map<String, Proposal> proposed = new HashMap<>();
        proposals(fabricId).forEach(p -> proposed.put(p.zone(), p));
        for (String name : zoneNames) {
            if (!proposed.containsKey(name)) {
                throw RuleViolation.conflict("zones", "zone " + name + " is no longer proposed for adoption "
                        + "(changed on the switch, or it matches no single known VM and array); look again");
            }
        }
        return transaction.execute(status -> {
            for (String name : zoneNames) {
                Proposal p = proposed.get(name);
                jdbc.update("""
                        insert into owned_zone_object (fabric_id, kind, name, vm_id, array_id, members)
                        values (?, 'ZONE', ?, ?, ?, ?)
                        """, fabricId, name, p.vmId(), p.arrayIds().get(0), String.join(",", p.members()));
                for (Long array : p.arrayIds()) {
                    jdbc.update("""
                            insert into storage_access (vm_id, array_id, granted_by) values (?, ?, ?)
                            on conflict (vm_id, array_id) do nothing
                            """, p.vmId(), array, user);
                }
                audit.record(user, "ADOPT_ZONE", "vm", p.vmId(), "Adopted zone " + name + " on fabric "
                        + fabrics.get(fabricId).getName() + " for VM " + p.vmName() + " → " + p.arrayNames()
                        + "; the switch was not changed", String.join(",", p.members()));
            }
            return zoneNames.size();
        });
    }
}
