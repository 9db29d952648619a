package org.vfzone.zoning;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.vfzone.fabric.Alias;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoneNames;
import org.vfzone.fabric.ZoningChange;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.inventory.ZoningPolicy;

/**
 * Turns "these VMs may reach these arrays" into the zones (and aliases) one fabric should have, and compares them
 * with what the switch has. Only objects whose names carry the fabric's prefix are vfzone's; everything else on
 * the switch is left exactly as it is. Pure computation: no database, no switch.
 */
public final class ZonePlanner {

    /** What the fabric's zoning is shaped by. */
    public record Settings(ZoningPolicy policy, String template, String prefix, String defaultConfig,
                           boolean useAliases, boolean zoneHostHbas, Set<String> adoptedZones) {

        public Settings(ZoningPolicy policy, String template, String prefix, String defaultConfig, boolean useAliases,
                        boolean zoneHostHbas) {
            this(policy, template, prefix, defaultConfig, useAliases, zoneHostHbas, Set.of());
        }
    }

    public record Port(String name, String wwpn) {
    }

    /** One VM's access to one array, with the VM's WWPN pair and the array's ports on this fabric. */
    public record Grant(long vmId, String vmName, long arrayId, String arrayName, String activeWwpn,
                        String standbyWwpn, List<Port> ports, List<String> hostHbaWwpns) {

        public Grant(long vmId, String vmName, long arrayId, String arrayName, String activeWwpn, String standbyWwpn,
                     List<Port> ports) {
            this(vmId, vmName, arrayId, arrayName, activeWwpn, standbyWwpn, ports, List.of());
        }
    }

    /** A line of the review page. */
    public record ReviewRow(String action, String kind, String name, List<String> before, List<String> after,
                            String vm, String array) {
    }

    /** A zone the fabric should have, and for whom. */
    public record DesiredZone(Zone zone, long vmId, long arrayId, String vmName, String arrayName) {
    }

    public record Plan(ZoningChange change, List<ReviewRow> rows, List<String> warnings, List<DesiredZone> desired,
                       Map<String, Alias> desiredAliases) {
    }

    private ZonePlanner() {
    }

    public static Plan plan(Settings settings, List<Grant> grants, ZoningDatabase live) {
        List<String> warnings = new ArrayList<>();
        Map<String, Alias> aliases = new LinkedHashMap<>();
        Map<String, DesiredZone> zones = new LinkedHashMap<>();
        Names names = new Names();
        for (Grant grant : grants) {
            if (grant.activeWwpn() == null) {
                warnings.add("VM " + grant.vmName() + " has no WWPN pair on this fabric: no zone to " + grant.arrayName());
                continue;
            }
            if (grant.ports().isEmpty()) {
                warnings.add("Array " + grant.arrayName() + " has no target port on this fabric: no zone for VM "
                        + grant.vmName());
                continue;
            }
            List<String> initiators = new ArrayList<>();
            initiators.add(member(settings, aliases, names.alias(settings.prefix() + grant.vmName() + "_act"),
                    grant.activeWwpn()));
            if (grant.standbyWwpn() != null) {
                initiators.add(member(settings, aliases, names.alias(settings.prefix() + grant.vmName() + "_stb"),
                        grant.standbyWwpn()));
            }
            if (settings.zoneHostHbas()) {
                // vSphere NPIV with RDM also sends I/O through the hosts' physical ports
                grant.hostHbaWwpns().forEach(wwpn -> initiators.add(member(settings, aliases,
                        names.alias(settings.prefix() + "hba_" + wwpn.replace(":", "")), wwpn)));
            }
            Map<Port, String> targets = new LinkedHashMap<>();
            for (Port port : grant.ports()) {
                targets.put(port, member(settings, aliases,
                        names.alias(settings.prefix() + grant.arrayName() + "_" + port.name()), port.wwpn()));
            }
            String base = settings.template().replace("{vm}", grant.vmName()).replace("{array}", grant.arrayName());
            switch (settings.policy()) {
                case SINGLE_INITIATOR_SINGLE_TARGET -> targets.forEach((port, target) -> {
                    String name = names.zone(base.contains("{port}") ? base.replace("{port}", port.name())
                            : base + "_" + port.name());
                    zones.put(name, desired(Zone.of(name, concat(initiators, List.of(target))), grant));
                });
                case SINGLE_INITIATOR_MULTI_TARGET -> {
                    String name = names.zone(base.replace("{port}", ""));
                    zones.put(name, desired(Zone.of(name, concat(initiators, List.copyOf(targets.values()))), grant));
                }
                case PEER -> {
                    String name = names.zone(base.replace("{port}", ""));
                    zones.put(name, desired(new Zone(name, initiators, List.copyOf(targets.values())), grant));
                }
            }
        }

        String config = live.activeConfig() != null ? live.activeConfig() : settings.defaultConfig();
        List<String> configMembers = live.configs().getOrDefault(config, List.of());
        List<ReviewRow> rows = new ArrayList<>();
        List<Alias> addAliases = new ArrayList<>();
        List<String> removeAliases = new ArrayList<>();
        List<Zone> addZones = new ArrayList<>();
        List<Zone> replaceZones = new ArrayList<>();
        List<String> removeZones = new ArrayList<>();

        for (Alias alias : aliases.values()) {
            Alias existing = live.aliases().get(alias.name());
            if (existing == null) {
                addAliases.add(alias);
                rows.add(new ReviewRow("ADD", "alias", alias.name(), List.of(), alias.wwns(), null, null));
            } else if (!Set.copyOf(existing.wwns()).equals(Set.copyOf(alias.wwns()))) {
                warnings.add("Alias " + alias.name() + " on the switch points to " + existing.wwns() + ", not "
                        + alias.wwns() + "; correct it on the switch or rename the VM");
            }
        }
        for (DesiredZone wanted : zones.values()) {
            Zone zone = wanted.zone();
            Zone existing = live.zones().get(zone.name());
            if (existing == null) {
                addZones.add(zone);
                rows.add(new ReviewRow("ADD", "zone", zone.name(), List.of(), describe(zone), wanted.vmName(),
                        wanted.arrayName()));
            } else if (!sameMembers(existing, zone)) {
                replaceZones.add(zone);
                rows.add(new ReviewRow("CHANGE", "zone", zone.name(), describe(existing), describe(zone),
                        wanted.vmName(), wanted.arrayName()));
            } else if (!configMembers.contains(zone.name())) {
                // defined but no longer in the active config (removed by hand): put it back
                removeZones.add(zone.name());
                addZones.add(zone);
                rows.add(new ReviewRow("ADD", "zone", zone.name(), List.of(), describe(zone), wanted.vmName(),
                        wanted.arrayName()));
            }
        }
        Set<String> keptAliases = new HashSet<>(aliases.keySet());
        List<Zone> ownedLive = new ArrayList<>(live.zonesWithPrefix(settings.prefix()).values());
        settings.adoptedZones().stream().filter(name -> !name.startsWith(settings.prefix()))
                .map(live.zones()::get).filter(java.util.Objects::nonNull).forEach(ownedLive::add);
        for (Zone existing : ownedLive) {
            if (!zones.containsKey(existing.name())) {
                removeZones.add(existing.name());
                rows.add(new ReviewRow("REMOVE", "zone", existing.name(), describe(existing), List.of(), null, null));
            }
        }
        Set<String> stillNamed = new HashSet<>();
        live.zones().values().stream().filter(z -> !removeZones.contains(z.name()) || zones.containsKey(z.name()))
                .forEach(z -> {
                    stillNamed.addAll(z.members());
                    stillNamed.addAll(z.principals());
                });
        for (Alias existing : live.aliases().values()) {
            if (existing.name().startsWith(settings.prefix()) && !keptAliases.contains(existing.name())
                    && !stillNamed.contains(existing.name())) {
                removeAliases.add(existing.name());
                rows.add(new ReviewRow("REMOVE", "alias", existing.name(), existing.wwns(), List.of(), null, null));
            }
        }
        ZoningChange change = new ZoningChange(config, live.stateToken(), addAliases, removeAliases, addZones,
                replaceZones, removeZones);
        return new Plan(change, rows, warnings, List.copyOf(zones.values()), aliases);
    }

    /** The zones of the plan missing or different in {@code live}'s effective configuration; empty when verified. */
    public static List<String> verify(Plan plan, ZoningDatabase live) {
        List<String> problems = new ArrayList<>();
        ZoningDatabase desired = new ZoningDatabase("", null, new java.util.TreeMap<>(), new java.util.TreeMap<>(),
                new java.util.TreeMap<>(plan.desiredAliases()), new java.util.TreeMap<>());
        for (DesiredZone wanted : plan.desired()) {
            Zone active = live.activeZones().get(wanted.zone().name());
            Set<String> expected = desired.resolve(wanted.zone());
            if (active == null) {
                problems.add("zone " + wanted.zone().name() + " is not in the effective configuration");
            } else if (!Set.copyOf(live.resolve(active)).equals(expected)) {
                problems.add("zone " + wanted.zone().name() + " has " + live.resolve(active) + ", expected " + expected);
            }
        }
        Set<String> kept = new HashSet<>();
        plan.desired().forEach(d -> kept.add(d.zone().name()));
        for (String removed : plan.change().removeZones()) {
            if (!kept.contains(removed) && live.activeZones().containsKey(removed)) {
                problems.add("zone " + removed + " is still in the effective configuration");
            }
        }
        return problems;
    }

    private static String member(Settings settings, Map<String, Alias> aliases, String aliasName, String wwn) {
        if (!settings.useAliases()) {
            return wwn;
        }
        aliases.putIfAbsent(aliasName, new Alias(aliasName, List.of(wwn)));
        return aliasName;
    }

    private static DesiredZone desired(Zone zone, Grant grant) {
        return new DesiredZone(zone, grant.vmId(), grant.arrayId(), grant.vmName(), grant.arrayName());
    }

    private static boolean sameMembers(Zone a, Zone b) {
        return Set.copyOf(a.members()).equals(Set.copyOf(b.members()))
                && Set.copyOf(a.principals()).equals(Set.copyOf(b.principals()));
    }

    private static List<String> describe(Zone zone) {
        List<String> lines = new ArrayList<>();
        zone.principals().forEach(p -> lines.add(p + " (principal)"));
        lines.addAll(zone.members());
        return lines;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Valid, unique, deterministic names: characters the switches refuse become '_', and a name longer than 64
     * characters keeps its start and gets a short hash of the whole, so different long names stay different.
     */
    static final class Names {
        private final Set<String> zones = new LinkedHashSet<>();

        String zone(String raw) {
            String name = fit(raw);
            zones.add(name);
            return name;
        }

        String alias(String raw) {
            return fit(raw);
        }

        static String fit(String raw) {
            String name = ZoneNames.sanitize(raw);
            if (!Character.isLetter(name.charAt(0))) {
                name = "z" + name;
            }
            if (name.length() <= ZoneNames.MAX_LENGTH) {
                return name;
            }
            String hash = hash(raw);
            return name.substring(0, ZoneNames.MAX_LENGTH - hash.length() - 1) + "_" + hash;
        }

        private static String hash(String text) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest, 0, 4);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
