package org.vfzone.zoning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.vfzone.fabric.Alias;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.logins.LoginQueries;
import org.vfzone.wwn.WwnRegistry;
import org.vfzone.wwn.WwnUsage;

/**
 * What an admin should tidy on a fabric, found by comparing the switch's zoning with vfzone's records: zones nobody
 * is logged in to, vfzone zones of VMs or WWPNs that are gone, VMs with a path on this fabric only, aliases no
 * zone uses, and foreign zones that hold a WWPN vfzone manages. A finding on an object vfzone owns says that the
 * next plan of the fabric fixes it; foreign objects are only reported.
 */
@Component
public class ZoneHygiene {

    public enum Kind {
        ALL_MEMBERS_LOGGED_OUT, ZONE_OF_DELETED_VM, ZONE_WITH_RELEASED_WWPN, SINGLE_FABRIC_VM, UNUSED_ALIAS,
        FOREIGN_ZONE_WITH_MANAGED_WWPN, ZONE_DATABASE_NEARLY_FULL
    }

    /** Above this share of its maximum, the zone database is reported: the next changes may not fit. */
    static final double NEARLY_FULL_PERCENT = 80;

    /** One finding; {@code fixedByPlan}: vfzone owns the object and the next plan of the fabric repairs it. */
    public record Finding(Kind kind, String object, String detail, boolean fixedByPlan) {
    }

    public record Report(long fabricId, String fabricName, boolean loginsKnown, List<Finding> findings) {

        public boolean anyFixedByPlan() {
            return findings.stream().anyMatch(Finding::fixedByPlan);
        }
    }

    private final FabricService fabrics;
    private final LiveZoning live;
    private final InventoryDirectory inventory;
    private final WwnRegistry registry;
    private final JdbcTemplate jdbc;
    private final LoginQueries logins;

    ZoneHygiene(FabricService fabrics, LiveZoning live, InventoryDirectory inventory, WwnRegistry registry,
                JdbcTemplate jdbc, LoginQueries logins) {
        this.fabrics = fabrics;
        this.live = live;
        this.inventory = inventory;
        this.registry = registry;
        this.jdbc = jdbc;
        this.logins = logins;
    }

    public Report check(long fabricId) {
        Fabric fabric = fabrics.get(fabricId);
        ZoningDatabase zoning = live.zoning(fabric);
        List<Finding> findings = new ArrayList<>();
        boolean loginsKnown = logins.discovered(fabricId);
        Set<String> loggedIn = logins.loggedInWwpns(fabricId);
        Map<String, Long> ownedZoneVms = new HashMap<>();
        jdbc.query("select name, vm_id from owned_zone_object where fabric_id = ? and kind = 'ZONE'", rs -> {
            ownedZoneVms.put(rs.getString(1), rs.getObject(2) == null ? null : rs.getLong(2));
        }, fabricId);
        Set<String> everyWwpn = new HashSet<>();
        zoning.zones().values().forEach(zone -> everyWwpn.addAll(zoning.resolve(zone)));
        Map<String, WwnUsage> usages = registry.findUsages(everyWwpn);
        Map<Long, String> vmNames = inventory.vmNames(ownedZoneVms.values().stream()
                .filter(Objects::nonNull).collect(Collectors.toSet()));

        ZoningDatabase.Capacity capacity = zoning.capacity();
        if (capacity != null && capacity.percent() > NEARLY_FULL_PERCENT) {
            findings.add(new Finding(Kind.ZONE_DATABASE_NEARLY_FULL, "zone database", String.format(Locale.ROOT,
                    "%,d of %,d bytes in use (%.1f %%): a change that would not fit is refused when planned; unused "
                            + "zones and aliases listed here free room", capacity.usedBytes(), capacity.maxBytes(),
                    capacity.percent()), false));
        }
        for (Zone zone : zoning.zones().values()) {
            boolean owned = ownedZoneVms.containsKey(zone.name()) || zone.name().startsWith(fabric.getOwnedPrefix());
            Set<String> wwpns = zoning.resolve(zone);
            if (loginsKnown && !wwpns.isEmpty() && wwpns.stream().noneMatch(loggedIn::contains)) {
                findings.add(new Finding(Kind.ALL_MEMBERS_LOGGED_OUT, zone.name(), "none of its "
                        + wwpns.size() + " member WWPN(s) is logged in", false));
            }
            if (owned) {
                Long vm = ownedZoneVms.get(zone.name());
                if (vm != null && !vmNames.containsKey(vm)) {
                    findings.add(new Finding(Kind.ZONE_OF_DELETED_VM, zone.name(), "its VM was deleted", true));
                }
                List<String> released = wwpns.stream().filter(w -> !usages.containsKey(w)).sorted().toList();
                if (vm != null && vmNames.containsKey(vm) && !released.isEmpty()) {
                    findings.add(new Finding(Kind.ZONE_WITH_RELEASED_WWPN, zone.name(), "holds "
                            + String.join(", ", released) + ", no longer used by any VM, port or HBA", true));
                }
            } else {
                List<String> managed = wwpns.stream().filter(w -> usages.containsKey(w)
                        && usages.get(w).ownerTable().equals("vm_fabric_identity")).sorted().toList();
                for (String wwpn : managed) {
                    findings.add(new Finding(Kind.FOREIGN_ZONE_WITH_MANAGED_WWPN, zone.name(), "holds " + wwpn
                            + ", the " + usages.get(wwpn).description() + "; adopt the zone or remove it by hand",
                            false));
                }
            }
        }
        Set<String> named = new HashSet<>();
        zoning.zones().values().forEach(zone -> {
            named.addAll(zone.members());
            named.addAll(zone.principals());
        });
        for (Alias alias : zoning.aliases().values()) {
            if (!named.contains(alias.name())) {
                boolean owned = alias.name().startsWith(fabric.getOwnedPrefix());
                findings.add(new Finding(Kind.UNUSED_ALIAS, alias.name(), "no zone uses it", owned));
            }
        }
        inventory.singleFabricVmsOn(fabricId)
                .forEach(pair -> findings.add(new Finding(Kind.SINGLE_FABRIC_VM, "VM " + pair.vmName(),
                        "has a WWPN pair on this fabric only: one path, no multipathing", false)));
        return new Report(fabricId, fabric.getName(), loginsKnown, findings);
    }
}
