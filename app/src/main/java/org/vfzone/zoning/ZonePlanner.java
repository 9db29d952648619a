package org.vfzone.zoning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

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

    /**
     * What the fabric's zoning is shaped by.
     *
     * @param aliasNamespace how the switch's alias kind is marked in alias names: "" for Brocade aliases and MDS
     *                       device-aliases, {@code fcalias:} for MDS fcaliases (the driver strips it)
     */
    public record Settings(ZoningPolicy policy, String template, String prefix, String defaultConfig,
                           boolean useAliases, boolean zoneHostHbas, Set<String> adoptedZones,
                           Map<String, Long> zoneOwners, String aliasNamespace) {

        public Settings(ZoningPolicy policy, String template, String prefix, String defaultConfig, boolean useAliases,
                        boolean zoneHostHbas, Set<String> adoptedZones, Map<String, Long> zoneOwners) {
            this(policy, template, prefix, defaultConfig, useAliases, zoneHostHbas, adoptedZones, zoneOwners, "");
        }

        public Settings(ZoningPolicy policy, String template, String prefix, String defaultConfig, boolean useAliases,
                        boolean zoneHostHbas, Set<String> adoptedZones) {
            this(policy, template, prefix, defaultConfig, useAliases, zoneHostHbas, adoptedZones, Map.of());
        }

        /** The same settings with aliases named in {@code namespace}. */
        public Settings inAliasNamespace(String namespace) {
            return new Settings(policy, template, prefix, defaultConfig, useAliases, zoneHostHbas, adoptedZones,
                    zoneOwners, namespace);
        }

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

    /** A line of the review page: what happens to which object on the switch. */
    public record ReviewRow(Action action, Kind kind, String name, List<String> before, List<String> after,
                            String vm, String array) {

        public enum Action { ADD, REMOVE, CHANGE, ACTIVATE }

        /** The kind of zoning object, written in lower case on the page, in the API and in stored plans. */
        public enum Kind {
            ZONE, ALIAS, CONFIG;

            @JsonValue
            @Override
            public String toString() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        boolean is(Kind kind, Action action) {
            return this.kind == kind && this.action == action;
        }
    }

    /** A zone the fabric should have, and for whom. */
    public record DesiredZone(Zone zone, long vmId, long arrayId, String vmName, String arrayName) {
    }

    /**
     * What a plan may change: the whole fabric, or only the zones of some VMs and arrays. {@code ownedZones} names
     * the zones vfzone owns for those VMs and arrays (only they may be removed). A scoped plan names zones exactly
     * as the whole-fabric plan would, so planning a VM never renames another VM's zone.
     */
    public record Scope(Set<Long> vmIds, Set<Long> arrayIds, Set<String> ownedZones) {

        public static final Scope WHOLE_FABRIC = new Scope(Set.of(), Set.of(), Set.of());

        public boolean wholeFabric() {
            return vmIds.isEmpty() && arrayIds.isEmpty();
        }

        boolean includes(long vmId, long arrayId) {
            return wholeFabric() || vmIds.contains(vmId) || arrayIds.contains(arrayId);
        }

        boolean mayRemove(String zone) {
            return wholeFabric() || ownedZones.contains(zone);
        }
    }

    /** {@code scope} is null in plans stored before plans could be scoped: they covered the whole fabric. */
    public record Plan(ZoningChange change, List<ReviewRow> rows, List<String> warnings, List<DesiredZone> desired,
                       Map<String, Alias> desiredAliases, Scope scope) {

        public Plan(ZoningChange change, List<ReviewRow> rows, List<String> warnings, List<DesiredZone> desired,
                    Map<String, Alias> desiredAliases) {
            this(change, rows, warnings, desired, desiredAliases, Scope.WHOLE_FABRIC);
        }

        public Scope effectiveScope() {
            return scope == null ? Scope.WHOLE_FABRIC : scope;
        }
    }

    private ZonePlanner() {
    }

    public static Plan plan(Settings settings, List<Grant> grants, ZoningDatabase live) {
        return plan(settings, grants, live, Scope.WHOLE_FABRIC);
    }

    public static Plan plan(Settings settings, List<Grant> grants, ZoningDatabase live, Scope scope) {
        List<String> warnings = new ArrayList<>();
        List<Grant> zoned = new ArrayList<>();
        for (Grant grant : grants) {
            if (!scope.includes(grant.vmId(), grant.arrayId())) {
                if (grant.activeWwpn() != null && !grant.ports().isEmpty()) {
                    zoned.add(grant); // out of scope, but its zone names are taken all the same
                }
            } else if (grant.activeWwpn() == null) {
                warnings.add("VM " + grant.vmName() + " has no WWPN pair on this fabric: no zone to " + grant.arrayName());
            } else if (grant.ports().isEmpty()) {
                warnings.add("Array " + grant.arrayName() + " has no target port on this fabric: no zone for VM "
                        + grant.vmName());
            } else {
                zoned.add(grant);
            }
        }
        Names names = Names.assign(claims(settings, zoned), aliasesInNamespace(live, settings.aliasNamespace()),
                settings.zoneOwners());
        Map<String, Alias> aliases = new LinkedHashMap<>();
        Map<String, DesiredZone> zones = new LinkedHashMap<>();
        for (Grant grant : zoned) {
            List<String> initiators = new ArrayList<>();
            initiators.add(member(settings, aliases, names, grant.activeWwpn()));
            if (grant.standbyWwpn() != null) {
                initiators.add(member(settings, aliases, names, grant.standbyWwpn()));
            }
            if (settings.zoneHostHbas()) {
                // vSphere NPIV with RDM also sends I/O through the hosts' physical ports
                grant.hostHbaWwpns().forEach(wwpn -> initiators.add(member(settings, aliases, names, wwpn)));
            }
            Map<Port, String> targets = new LinkedHashMap<>();
            for (Port port : grant.ports()) {
                targets.put(port, member(settings, aliases, names, port.wwpn()));
            }
            switch (settings.policy()) {
                case SINGLE_INITIATOR_SINGLE_TARGET -> targets.forEach((port, target) -> {
                    String name = names.of(zoneIdentity(grant, port));
                    zones.put(name, desired(Zone.of(name, concat(initiators, List.of(target))), grant));
                });
                case SINGLE_INITIATOR_MULTI_TARGET -> {
                    String name = names.of(zoneIdentity(grant, null));
                    zones.put(name, desired(Zone.of(name, concat(initiators, List.copyOf(targets.values()))), grant));
                }
                case PEER -> {
                    String name = names.of(zoneIdentity(grant, null));
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

        Map<String, DesiredZone> allZones = zones;
        Map<String, DesiredZone> scopedZones = new LinkedHashMap<>();
        for (DesiredZone wanted : allZones.values()) {
            if (scope.includes(wanted.vmId(), wanted.arrayId())) {
                scopedZones.put(wanted.zone().name(), wanted);
            }
        }
        Set<String> namedByScope = new HashSet<>();
        scopedZones.values().forEach(wanted -> {
            namedByScope.addAll(wanted.zone().members());
            namedByScope.addAll(wanted.zone().principals());
        });
        Map<String, Alias> allAliases = aliases;
        Map<String, Alias> scopedAliases = new LinkedHashMap<>();
        for (Alias alias : allAliases.values()) {
            if (namedByScope.contains(alias.name())) {
                scopedAliases.put(alias.name(), alias);
            }
        }
        for (Alias alias : scopedAliases.values()) {
            Alias existing = live.aliases().get(alias.name());
            if (existing == null) {
                addAliases.add(alias);
                rows.add(new ReviewRow(ReviewRow.Action.ADD, ReviewRow.Kind.ALIAS, alias.name(), List.of(), alias.wwns(), null, null));
            } else if (!Set.copyOf(existing.wwns()).equals(Set.copyOf(alias.wwns()))) {
                // Names.assign never picks a name the switch holds for other WWNs; a zone naming it would zone them
                throw new IllegalStateException("Alias " + alias.name() + " holds " + existing.wwns() + ", not "
                        + alias.wwns());
            }
        }
        for (DesiredZone wanted : scopedZones.values()) {
            Zone zone = wanted.zone();
            Zone existing = live.zones().get(zone.name());
            if (existing == null) {
                addZones.add(zone);
                rows.add(new ReviewRow(ReviewRow.Action.ADD, ReviewRow.Kind.ZONE, zone.name(), List.of(), describe(zone), wanted.vmName(),
                        wanted.arrayName()));
            } else if (!sameMembers(existing, zone)) {
                replaceZones.add(zone);
                rows.add(new ReviewRow(ReviewRow.Action.CHANGE, ReviewRow.Kind.ZONE, zone.name(), describe(existing), describe(zone),
                        wanted.vmName(), wanted.arrayName()));
            } else if (!configMembers.contains(zone.name())) {
                // defined but no longer in the active config (removed by hand): put it back
                removeZones.add(zone.name());
                addZones.add(zone);
                rows.add(new ReviewRow(ReviewRow.Action.ADD, ReviewRow.Kind.ZONE, zone.name(), List.of(), describe(zone), wanted.vmName(),
                        wanted.arrayName()));
            }
        }
        Set<String> keptAliases = new HashSet<>(allAliases.keySet());
        List<Zone> ownedLive = new ArrayList<>(live.zonesWithPrefix(settings.prefix()).values());
        settings.adoptedZones().stream().filter(name -> !name.startsWith(settings.prefix()))
                .map(live.zones()::get).filter(Objects::nonNull).forEach(ownedLive::add);
        for (Zone existing : ownedLive) {
            if (!allZones.containsKey(existing.name()) && scope.mayRemove(existing.name())) {
                removeZones.add(existing.name());
                rows.add(new ReviewRow(ReviewRow.Action.REMOVE, ReviewRow.Kind.ZONE, existing.name(), describe(existing), List.of(), null, null));
            }
        }
        Set<String> stillNamed = new HashSet<>();
        live.zones().values().stream().filter(z -> !removeZones.contains(z.name()) || allZones.containsKey(z.name()))
                .forEach(z -> {
                    stillNamed.addAll(z.members());
                    stillNamed.addAll(z.principals());
                });
        for (Alias existing : live.aliases().values()) {
            boolean owned = existing.name().startsWith(settings.prefix())
                    || existing.name().startsWith(settings.aliasNamespace() + settings.prefix());
            if (owned && !keptAliases.contains(existing.name())
                    && !stillNamed.contains(existing.name())) {
                removeAliases.add(existing.name());
                rows.add(new ReviewRow(ReviewRow.Action.REMOVE, ReviewRow.Kind.ALIAS, existing.name(), existing.wwns(), List.of(), null, null));
            }
        }
        ZoningChange change = new ZoningChange(config, live.stateToken(), addAliases, removeAliases, addZones,
                replaceZones, removeZones);
        if (!change.isEmpty()) {
            rows.addAll(configRows(live, config, configMembers, addZones, removeZones));
        }
        return new Plan(change, rows, warnings, List.copyOf(scopedZones.values()), scopedAliases, scope);
    }

    /**
     * The review rows of the configuration: which zones join or leave it ("+ name", "− name"; a new config lists its
     * zones), and its activation, which every push ends with (Brocade cfg-enable, MDS zoneset activate).
     */
    private static List<ReviewRow> configRows(ZoningDatabase live, String config, List<String> configMembers,
                                              List<Zone> addZones, List<String> removeZones) {
        Set<String> added = new LinkedHashSet<>();
        addZones.stream().map(Zone::name).filter(name -> !configMembers.contains(name)
                || removeZones.contains(name)).forEach(added::add);
        Set<String> readded = addZones.stream().map(Zone::name).collect(Collectors.toSet());
        List<String> leaving = removeZones.stream().filter(configMembers::contains)
                .filter(name -> !readded.contains(name)).map(name -> "− " + name).toList();
        List<String> joining = added.stream().filter(name -> !configMembers.contains(name)).map(name -> "+ " + name)
                .toList();
        List<ReviewRow> rows = new ArrayList<>();
        if (!live.configs().containsKey(config)) {
            rows.add(new ReviewRow(ReviewRow.Action.ADD, ReviewRow.Kind.CONFIG, config, List.of(), joining, null, null));
        } else if (!leaving.isEmpty() || !joining.isEmpty()) {
            rows.add(new ReviewRow(ReviewRow.Action.CHANGE, ReviewRow.Kind.CONFIG, config, leaving, joining, null, null));
        }
        rows.add(new ReviewRow(ReviewRow.Action.ACTIVATE, ReviewRow.Kind.CONFIG, config,
                List.of(live.activeConfig() == null ? "no effective config" : "effective: " + live.activeConfig()),
                List.of("effective: " + config + " as changed"), null, null));
        return rows;
    }

    /**
     * How {@code live} differs from the plan's after-state: zones missing or different in the effective
     * configuration or as defined (member names, so also which alias), aliases missing, holding other WWNs, or
     * planned for removal but still there. Empty when verified.
     */
    public static List<String> verify(Plan plan, ZoningDatabase live) {
        List<String> problems = new ArrayList<>();
        ZoningDatabase desired = new ZoningDatabase("", null, new TreeMap<>(), new TreeMap<>(),
                new TreeMap<>(plan.desiredAliases()), new TreeMap<>());
        for (DesiredZone wanted : plan.desired()) {
            Zone active = live.activeZones().get(wanted.zone().name());
            Set<String> expected = desired.resolve(wanted.zone());
            if (active == null) {
                problems.add("zone " + wanted.zone().name() + " is not in the effective configuration");
            } else if (!Set.copyOf(live.resolve(active)).equals(expected)) {
                problems.add("zone " + wanted.zone().name() + " has " + live.resolve(active) + ", expected " + expected);
            }
        }
        // the aliases are part of the after-state: a zone naming a missing or wrong alias zones something else
        plan.desiredAliases().values().forEach(alias -> {
            Alias onSwitch = live.aliases().get(alias.name());
            if (onSwitch == null) {
                problems.add("alias " + alias.name() + " is missing");
            } else if (!Set.copyOf(onSwitch.wwns()).equals(Set.copyOf(alias.wwns()))) {
                problems.add("alias " + alias.name() + " holds " + onSwitch.wwns() + ", expected " + alias.wwns());
            }
        });
        for (DesiredZone wanted : plan.desired()) {
            Zone defined = live.zones().get(wanted.zone().name());
            if (defined != null && !sameMembers(defined, wanted.zone())) {
                problems.add("zone " + wanted.zone().name() + " is defined with " + describe(defined) + ", expected "
                        + describe(wanted.zone()));
            }
        }
        for (String alias : plan.change().removeAliases()) {
            if (live.aliases().containsKey(alias)) {
                problems.add("alias " + alias + " is no longer used but still on the switch");
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

    /**
     * The database as alias names are chosen in a namespace: its aliases of that namespace also under their bare
     * names (an alias of another kind with the same name keeps it), so the same rules pick the same names.
     */
    private static ZoningDatabase aliasesInNamespace(ZoningDatabase live, String namespace) {
        if (namespace.isEmpty()) {
            return live;
        }
        SortedMap<String, Alias> aliases = new TreeMap<>(live.aliases());
        live.aliases().forEach((name, alias) -> {
            if (name.startsWith(namespace)) {
                String bare = name.substring(namespace.length());
                aliases.putIfAbsent(bare, new Alias(bare, alias.wwns()));
            }
        });
        return new ZoningDatabase(live.stateToken(), live.activeConfig(), live.configs(), live.zones(), aliases,
                live.activeZones(), live.sessionCommit(), live.capacity(), live.protocol());
    }

    private static String member(Settings settings, Map<String, Alias> aliases, Names names, String wwn) {
        if (!settings.useAliases()) {
            return wwn;
        }
        String aliasName = settings.aliasNamespace() + names.of(aliasIdentity(wwn));
        aliases.putIfAbsent(aliasName, new Alias(aliasName, List.of(wwn)));
        return aliasName;
    }

    private static String aliasIdentity(String wwpn) {
        return "alias:" + wwpn;
    }

    /** Zones are one per VM, array (and port, for single-target zoning); numbers padded so older ids sort first. */
    private static String zoneIdentity(Grant grant, Port port) {
        return String.format("zone:%019d:%019d", grant.vmId(), grant.arrayId())
                + (port == null ? "" : ":" + port.wwpn());
    }

    /** Every name the plan needs, with the text it is made from and what it must hold. */
    private static List<Names.Claim> claims(Settings settings, List<Grant> grants) {
        Map<String, Names.Claim> claims = new LinkedHashMap<>();
        String prefix = settings.prefix();
        for (Grant grant : grants) {
            Set<String> initiators = new LinkedHashSet<>();
            initiators.add(grant.activeWwpn());
            if (grant.standbyWwpn() != null) {
                initiators.add(grant.standbyWwpn());
            }
            if (settings.zoneHostHbas()) {
                initiators.addAll(grant.hostHbaWwpns());
            }
            if (settings.useAliases()) {
                aliasClaim(claims, prefix + grant.vmName() + "_act", grant.activeWwpn());
                if (grant.standbyWwpn() != null) {
                    aliasClaim(claims, prefix + grant.vmName() + "_stb", grant.standbyWwpn());
                }
                if (settings.zoneHostHbas()) {
                    grant.hostHbaWwpns().forEach(wwpn -> aliasClaim(claims, prefix + "hba_" + wwpn.replace(":", ""),
                            wwpn));
                }
                grant.ports().forEach(port -> aliasClaim(claims, prefix + grant.arrayName() + "_" + port.name(),
                        port.wwpn()));
            }
            String base = settings.template().replace("{vm}", grant.vmName()).replace("{array}", grant.arrayName());
            if (settings.policy() == ZoningPolicy.SINGLE_INITIATOR_SINGLE_TARGET) {
                for (Port port : grant.ports()) {
                    String raw = base.contains("{port}") ? base.replace("{port}", port.name())
                            : base + "_" + port.name();
                    claims.putIfAbsent(zoneIdentity(grant, port), new Names.Claim(zoneIdentity(grant, port), raw,
                            Names.Kind.ZONE, initiators, grant.vmId()));
                }
            } else {
                claims.putIfAbsent(zoneIdentity(grant, null), new Names.Claim(zoneIdentity(grant, null),
                        base.replace("{port}", ""), Names.Kind.ZONE, initiators, grant.vmId()));
            }
        }
        return List.copyOf(claims.values());
    }

    private static void aliasClaim(Map<String, Names.Claim> claims, String raw, String wwpn) {
        claims.putIfAbsent(aliasIdentity(wwpn), new Names.Claim(aliasIdentity(wwpn), raw, Names.Kind.ALIAS,
                Set.of(wwpn), null));
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
     * Valid, unique, deterministic names. Zones, aliases and device-aliases share one namespace per fabric, compared
     * ignoring case. Free text becomes a valid name ({@link #fit}); when two objects would get the same name, or the
     * name is taken on the switch by something else, the object keeps the plain name if the switch already holds it
     * for that object, else the oldest object (lowest id) keeps it, and every other one gets a suffix hashed from its
     * own identity (its WWPN, or its VM, array and port). So the same estate always plans the same names, and a
     * zone on the switch is never renamed because an unrelated object appeared.
     */
    static final class Names {

        enum Kind { ALIAS, ZONE }

        /**
         * One object that needs a name.
         *
         * @param identity what the object is, stable across plans (alias: its WWPN; zone: VM, array, port)
         * @param raw      the text its name is made from
         * @param wwpns    what it holds: the alias's WWPN, or the zone's initiators (the VM's WWPNs) resolved
         * @param vmId     the VM a zone belongs to; null for aliases
         */
        record Claim(String identity, String raw, Kind kind, Set<String> wwpns, Long vmId) {
        }

        private final Map<String, String> byIdentity;

        private Names(Map<String, String> byIdentity) {
            this.byIdentity = byIdentity;
        }

        String of(String identity) {
            String name = byIdentity.get(identity);
            if (name == null) {
                throw new IllegalStateException("No name was assigned to " + identity);
            }
            return name;
        }

        static Names assign(List<Claim> claims, ZoningDatabase live, Map<String, Long> zoneOwners) {
            Map<String, String> onSwitch = namesOnSwitch(live);
            Map<String, String> assigned = new LinkedHashMap<>();
            Set<String> taken = new HashSet<>();
            // 1. an object the switch already holds under its suffixed name keeps it
            for (Claim claim : claims) {
                String suffixed = suffixed(claim, 8);
                if (holds(claim, suffixed, live, zoneOwners)) {
                    assigned.put(claim.identity(), suffixed);
                    taken.add(key(suffixed));
                }
            }
            // 2. plain names: the holder on the switch first, then the oldest; names the switch uses for anything
            //    else stay blocked
            Map<String, List<Claim>> byPlain = new TreeMap<>();
            claims.stream().filter(c -> !assigned.containsKey(c.identity()))
                    .forEach(c -> byPlain.computeIfAbsent(key(fit(c.raw())), k -> new ArrayList<>()).add(c));
            List<Claim> needSuffix = new ArrayList<>();
            for (List<Claim> group : byPlain.values()) {
                group.sort(Comparator.comparing((Claim c) -> !holds(c, fit(c.raw()), live, zoneOwners))
                        .thenComparing(Claim::identity));
                Claim first = group.get(0);
                String plain = fit(first.raw());
                String spelled = onSwitch.get(key(plain));
                boolean blockedOnSwitch = spelled != null && !holds(first, spelled, live, zoneOwners);
                if (!taken.contains(key(plain)) && !blockedOnSwitch) {
                    assigned.put(first.identity(), plain);
                    taken.add(key(plain));
                } else {
                    needSuffix.add(first);
                }
                needSuffix.addAll(group.subList(1, group.size()));
            }
            // 3. suffixes, longer if even the suffixed name is taken
            needSuffix.sort(Comparator.comparing(Claim::identity));
            for (Claim claim : needSuffix) {
                String name = null;
                for (int hexDigits = 8; hexDigits <= 16; hexDigits += 4) {
                    String candidate = suffixed(claim, hexDigits);
                    String spelled = onSwitch.get(key(candidate));
                    if (!taken.contains(key(candidate))
                            && (spelled == null || holds(claim, spelled, live, zoneOwners))) {
                        name = candidate;
                        break;
                    }
                }
                if (name == null) {
                    throw new IllegalStateException("No free name for " + claim.identity());
                }
                assigned.put(claim.identity(), name);
                taken.add(key(name));
            }
            return new Names(assigned);
        }

        /**
         * Every name the switch uses (zones, aliases, cfgs), by its case-insensitive key, with the switch's spelling:
         * built once per plan, so each lookup is a map access even on a fabric with tens of thousands of zones.
         */
        private static Map<String, String> namesOnSwitch(ZoningDatabase live) {
            Map<String, String> names = new HashMap<>();
            live.configs().keySet().forEach(name -> names.put(key(name), name));
            live.aliases().keySet().forEach(name -> names.put(key(name), name));
            live.zones().keySet().forEach(name -> names.put(key(name), name));
            return names;
        }

        /** Whether the switch already holds {@code name} as this very object (same kind, same content or owner). */
        private static boolean holds(Claim claim, String name, ZoningDatabase live, Map<String, Long> zoneOwners) {
            if (claim.kind() == Kind.ALIAS) {
                Alias alias = live.aliases().get(name);
                return alias != null && Set.copyOf(alias.wwns()).equals(claim.wwpns());
            }
            Zone zone = live.zones().get(name);
            if (zone == null) {
                return false;
            }
            // the zone vfzone recorded for this VM, or (no record, e.g. a push whose outcome was unknown) a zone that
            // already holds this VM's own initiators: re-planning it cannot reach anyone else's
            Long owner = zoneOwners.get(name);
            if (owner != null) {
                return owner.equals(claim.vmId());
            }
            Set<String> resolved = live.resolve(zone);
            return claim.wwpns().stream().anyMatch(resolved::contains);
        }

        private static String key(String name) {
            return name.toLowerCase(Locale.ROOT);
        }

        private static String suffixed(Claim claim, int hexDigits) {
            String suffix = "_" + hash(claim.identity()).substring(0, hexDigits);
            String name = fit(claim.raw());
            if (name.length() + suffix.length() > ZoneNames.MAX_LENGTH) {
                name = name.substring(0, ZoneNames.MAX_LENGTH - suffix.length());
            }
            return name + suffix;
        }

        static String fit(String raw) {
            String name = ZoneNames.sanitize(raw);
            if (!Character.isLetter(name.charAt(0))) {
                name = "z" + name;
            }
            if (name.length() <= ZoneNames.MAX_LENGTH) {
                return name;
            }
            String hash = hash(raw).substring(0, 8);
            return name.substring(0, ZoneNames.MAX_LENGTH - hash.length() - 1) + "_" + hash;
        }

        private static String hash(String text) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest, 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
