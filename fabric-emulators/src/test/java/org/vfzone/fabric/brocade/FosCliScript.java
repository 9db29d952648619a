package org.vfzone.fabric.brocade;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vfzone.fabric.Alias;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningDatabase;

/**
 * Applies a FOS CLI zoning script to a zoning database the way the switch's commands behave: quoted operands, lists
 * separated by {@code ;}, and the errors FOS gives for objects that exist or do not. For testing scripts vfzone
 * writes.
 */
final class FosCliScript {

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private final Map<String, Alias> aliases;
    private final Map<String, Zone> zones;
    private final Map<String, List<String>> cfgs;
    private String enabled;

    FosCliScript(ZoningDatabase start) {
        aliases = new TreeMap<>(start.aliases());
        zones = new TreeMap<>(start.zones());
        cfgs = new TreeMap<>();
        start.configs().forEach((name, members) -> cfgs.put(name, new ArrayList<>(members)));
        enabled = start.activeConfig();
    }

    /** The defined database after the script, with the enabled cfg's zones as the effective configuration. */
    ZoningDatabase apply(List<String> script) {
        for (String line : script) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            run(trimmed);
        }
        TreeMap<String, Zone> active = new TreeMap<>();
        if (enabled != null) {
            ZoningDatabase resolver = new ZoningDatabase("", null, new TreeMap<>(), new TreeMap<>(),
                    new TreeMap<>(aliases), new TreeMap<>());
            for (String zone : cfgs.get(enabled)) {
                Zone defined = zones.get(zone);
                active.put(zone, new Zone(zone, List.copyOf(resolve(resolver, defined.members())),
                        List.copyOf(resolve(resolver, defined.principals()))));
            }
        }
        return new ZoningDatabase("", enabled, new TreeMap<>(cfgs), new TreeMap<>(zones), new TreeMap<>(aliases),
                active);
    }

    private static List<String> resolve(ZoningDatabase resolver, List<String> members) {
        return resolver.resolve(Zone.of("x", members)).stream().toList();
    }

    private void run(String line) {
        String command = line.split("\\s+", 2)[0];
        List<String> args = new ArrayList<>();
        Matcher m = QUOTED.matcher(line);
        while (m.find()) {
            args.add(m.group(1));
        }
        switch (command) {
            case "alicreate" -> {
                require(!aliases.containsKey(args.get(0)), line, "alias already exists");
                aliases.put(args.get(0), new Alias(args.get(0), list(args.get(1))));
            }
            case "alidelete" -> require(aliases.remove(args.get(0)) != null, line, "no such alias");
            case "zonecreate" -> {
                require(!zones.containsKey(args.get(0)), line, "zone already exists");
                if (line.contains("--peerzone")) {
                    zones.put(args.get(0), new Zone(args.get(0), list(args.get(2)), list(args.get(1))));
                } else {
                    zones.put(args.get(0), Zone.of(args.get(0), list(args.get(1))));
                }
            }
            case "zonedelete" -> require(zones.remove(args.get(0)) != null, line, "no such zone");
            case "zoneadd", "zoneremove" -> {
                Zone zone = zones.get(args.get(0));
                require(zone != null, line, "no such zone");
                List<String> members = new ArrayList<>(zone.members());
                for (String member : list(args.get(1))) {
                    if (command.equals("zoneadd")) {
                        require(!members.contains(member), line, "already a member");
                        members.add(member);
                    } else {
                        require(members.remove(member), line, "not a member");
                    }
                }
                require(!members.isEmpty(), line, "a zone cannot be left empty");
                zones.put(zone.name(), new Zone(zone.name(), members, zone.principals()));
            }
            case "cfgcreate" -> {
                require(!cfgs.containsKey(args.get(0)), line, "cfg already exists");
                cfgs.put(args.get(0), new ArrayList<>(list(args.get(1))));
            }
            case "cfgadd" -> {
                List<String> cfg = cfgs.get(args.get(0));
                require(cfg != null, line, "no such cfg");
                list(args.get(1)).forEach(zone -> {
                    require(zones.containsKey(zone), line, "no such zone");
                    require(!cfg.contains(zone), line, "already in the cfg");
                    cfg.add(zone);
                });
            }
            case "cfgremove" -> {
                List<String> cfg = cfgs.get(args.get(0));
                require(cfg != null, line, "no such cfg");
                list(args.get(1)).forEach(zone -> require(cfg.remove(zone), line, "not in the cfg"));
            }
            case "cfgenable" -> {
                require(cfgs.containsKey(args.get(0)), line, "no such cfg");
                for (String zone : cfgs.get(args.get(0))) {
                    require(zones.containsKey(zone), line, "cfg names a missing zone");
                    for (String member : zones.get(zone).members()) {
                        require(member.contains(":") || aliases.containsKey(member), line, "missing alias " + member);
                    }
                }
                enabled = args.get(0);
            }
            default -> throw new IllegalArgumentException("not a FOS zoning command: " + line);
        }
        if (command.equals("zonedelete")) {
            cfgs.values().forEach(cfg -> require(!cfg.contains(args.get(0)), line, "zone is still in a cfg"));
        }
        if (command.equals("alidelete")) {
            zones.values().forEach(zone -> require(!zone.members().contains(args.get(0)), line, "alias still used"));
        }
    }

    private static List<String> list(String text) {
        return List.of(text.split(";\\s*"));
    }

    private static void require(boolean condition, String line, String problem) {
        if (!condition) {
            throw new IllegalStateException(problem + ": " + line);
        }
    }
}
