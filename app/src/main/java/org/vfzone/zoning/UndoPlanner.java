package org.vfzone.zoning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.vfzone.fabric.Alias;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningChange;
import org.vfzone.fabric.ZoningDatabase;

/**
 * Plans the reverse of a pushed change: every zone and alias it touched goes back to how it was in the zoning kept
 * before that push, planned against the fabric as it is now, so a later change to the same objects is never
 * overwritten unseen (the caller names those changes).
 */
final class UndoPlanner {

    private UndoPlanner() {
    }

    /**
     * @param pushed  the change that was pushed
     * @param before  the fabric's zoning read just before that push, with the owners of vfzone's zones then
     * @param live    the fabric now
     * @param vmNames names of the VMs the owners name (a missing one reads as deleted)
     * @param arrayNames names of the arrays the owners name
     */
    static ZonePlanner.Plan reverse(ZoningChange pushed, ZoningHistory.Content before, ZoningDatabase live,
                                    String defaultConfig, Map<Long, String> vmNames, Map<Long, String> arrayNames) {
        ZoningDatabase was = before.zoning();
        Set<String> zones = new LinkedHashSet<>();
        pushed.addZones().forEach(zone -> zones.add(zone.name()));
        pushed.replaceZones().forEach(zone -> zones.add(zone.name()));
        zones.addAll(pushed.removeZones());
        Set<String> aliases = new LinkedHashSet<>();
        pushed.addAliases().forEach(alias -> aliases.add(alias.name()));
        aliases.addAll(pushed.removeAliases());

        List<Zone> addZones = new ArrayList<>();
        List<Zone> replaceZones = new ArrayList<>();
        List<String> removeZones = new ArrayList<>();
        List<Alias> addAliases = new ArrayList<>();
        List<String> removeAliases = new ArrayList<>();
        List<ZonePlanner.ReviewRow> rows = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<ZonePlanner.DesiredZone> desired = new ArrayList<>();
        Map<String, Alias> desiredAliases = new LinkedHashMap<>();
        Set<Long> vmIds = new LinkedHashSet<>();
        Set<Long> arrayIds = new LinkedHashSet<>();

        for (String name : zones) {
            Zone then = was.zones().get(name);
            Zone now = live.zones().get(name);
            ZoningHistory.Owner owner = before.zoneOwners().get(name);
            String vm = owner == null || owner.vmId() == null ? null : vmNames.getOrDefault(owner.vmId(), "deleted VM");
            String array = owner == null || owner.arrayId() == null ? null
                    : arrayNames.getOrDefault(owner.arrayId(), "deleted array");
            if (owner != null && owner.vmId() != null) {
                vmIds.add(owner.vmId());
            }
            if (owner != null && owner.arrayId() != null) {
                arrayIds.add(owner.arrayId());
            }
            if (then == null && now != null) {
                removeZones.add(name);
                rows.add(new ZonePlanner.ReviewRow(ZonePlanner.ReviewRow.Action.REMOVE, ZonePlanner.ReviewRow.Kind.ZONE, name, members(now), List.of(), vm, array));
            } else if (then != null && now == null) {
                addZones.add(then);
                rows.add(new ZonePlanner.ReviewRow(ZonePlanner.ReviewRow.Action.ADD, ZonePlanner.ReviewRow.Kind.ZONE, name, List.of(), members(then), vm, array));
            } else if (then != null && !sameMembers(then, now)) {
                replaceZones.add(then);
                rows.add(new ZonePlanner.ReviewRow(ZonePlanner.ReviewRow.Action.CHANGE, ZonePlanner.ReviewRow.Kind.ZONE, name, members(now), members(then), vm, array));
            }
            if (then != null && (now == null || !sameMembers(then, now))) {
                desired.add(new ZonePlanner.DesiredZone(then, owner == null || owner.vmId() == null ? 0
                        : owner.vmId(), owner == null || owner.arrayId() == null ? 0 : owner.arrayId(),
                        vm == null ? "" : vm, array == null ? "" : array));
            }
        }
        Set<String> zonesAfter = new LinkedHashSet<>(live.zones().keySet());
        zonesAfter.removeAll(removeZones);
        addZones.forEach(zone -> zonesAfter.add(zone.name()));
        for (String name : aliases) {
            Alias then = was.aliases().get(name);
            Alias now = live.aliases().get(name);
            if (then == null && now != null) {
                List<String> users = zonesAfter.stream().filter(zone -> usesAlias(zone, name, live, addZones,
                        replaceZones)).toList();
                if (users.isEmpty()) {
                    removeAliases.add(name);
                    rows.add(new ZonePlanner.ReviewRow(ZonePlanner.ReviewRow.Action.REMOVE, ZonePlanner.ReviewRow.Kind.ALIAS, name, now.wwns(), List.of(), null, null));
                } else {
                    warnings.add("Alias " + name + " stays: zone(s) " + String.join(", ", users) + " use it now");
                }
            } else if (then != null && now == null) {
                addAliases.add(then);
                desiredAliases.put(name, then);
                rows.add(new ZonePlanner.ReviewRow(ZonePlanner.ReviewRow.Action.ADD, ZonePlanner.ReviewRow.Kind.ALIAS, name, List.of(), then.wwns(), null, null));
            } else if (then != null && !Set.copyOf(then.wwns()).equals(Set.copyOf(now.wwns()))) {
                warnings.add("Alias " + name + " holds " + now.wwns() + " now and held " + then.wwns()
                        + " before; the undo leaves it as it is now");
            }
        }
        // the zones put back name aliases: as they will be after the push, so that the read-back can resolve them
        for (ZonePlanner.DesiredZone zone : desired) {
            List<String> names = new ArrayList<>(zone.zone().members());
            names.addAll(zone.zone().principals());
            for (String member : names) {
                Alias alias = desiredAliases.containsKey(member) ? desiredAliases.get(member)
                        : removeAliases.contains(member) ? null : live.aliases().get(member);
                if (alias != null) {
                    desiredAliases.put(member, alias);
                }
            }
        }
        String config = live.activeConfig() != null ? live.activeConfig()
                : was.activeConfig() != null ? was.activeConfig() : defaultConfig;
        ZoningChange change = new ZoningChange(config, live.stateToken(), addAliases, removeAliases, addZones,
                replaceZones, removeZones);
        Set<String> touched = new LinkedHashSet<>(zones);
        ZonePlanner.Scope scope = new ZonePlanner.Scope(vmIds, arrayIds, touched);
        return new ZonePlanner.Plan(change, rows, warnings, desired, desiredAliases, scope);
    }

    private static boolean usesAlias(String zoneName, String alias, ZoningDatabase live, List<Zone> addZones,
                                     List<Zone> replaceZones) {
        Zone zone = replaceZones.stream().filter(z -> z.name().equals(zoneName)).findFirst()
                .or(() -> addZones.stream().filter(z -> z.name().equals(zoneName)).findFirst())
                .orElse(live.zones().get(zoneName));
        return zone != null && (zone.members().contains(alias) || zone.principals().contains(alias));
    }

    private static List<String> members(Zone zone) {
        List<String> all = new ArrayList<>(zone.principals());
        all.addAll(zone.members());
        return all;
    }

    private static boolean sameMembers(Zone a, Zone b) {
        return Set.copyOf(a.members()).equals(Set.copyOf(b.members()))
                && Set.copyOf(a.principals()).equals(Set.copyOf(b.principals()));
    }
}
