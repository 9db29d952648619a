package org.vfzone.fabric.simulated;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.vfzone.fabric.Alias;
import org.vfzone.fabric.FabricDriver;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.Login;
import org.vfzone.fabric.PushReport;
import org.vfzone.fabric.SwitchIdentity;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoneNames;
import org.vfzone.fabric.ZoningChange;
import org.vfzone.fabric.ZoningDatabase;

/**
 * A fabric with no switch behind it: the zoning database lives in this process, keyed by fabric. For labs and for
 * inventories whose zoning is exported as CLI scripts rather than pushed.
 */
public class SimulatedFabricDriver implements FabricDriver {

    private static final Map<String, ZoningDatabase> FABRICS = new ConcurrentHashMap<>();
    private static final Map<String, Map<String, Login>> LOGINS = new ConcurrentHashMap<>();

    private final String key;

    public SimulatedFabricDriver(String key) {
        this.key = key;
    }

    @Override
    public SwitchIdentity identify() {
        return new SwitchIdentity("simulated", "the simulated fabric", true, "kept in memory");
    }

    @Override
    public ZoningDatabase read() {
        return FABRICS.computeIfAbsent(key, k -> ZoningDatabase.empty("0"));
    }

    @Override
    public synchronized PushReport push(ZoningChange change) {
        synchronized (FABRICS) {
            ZoningDatabase db = read();
            if (!db.stateToken().equals(change.expectedStateToken())) {
                throw new FabricException(FabricException.Kind.STALE, "The fabric's zoning changed since the plan");
            }
            for (Zone zone : concat(change.addZones(), change.replaceZones())) {
                ZoneNames.problem(zone.name()).ifPresent(problem -> {
                    throw new FabricException(FabricException.Kind.REJECTED, "Invalid zone name " + zone.name() + ": "
                            + problem);
                });
            }
            TreeMap<String, Alias> aliases = new TreeMap<>(db.aliases());
            change.addAliases().forEach(alias -> aliases.put(alias.name(), alias));
            TreeMap<String, Zone> zones = new TreeMap<>(db.zones());
            change.removeZones().forEach(zones::remove);
            concat(change.addZones(), change.replaceZones()).forEach(zone -> zones.put(zone.name(), zone));
            change.removeAliases().forEach(aliases::remove);
            TreeMap<String, List<String>> configs = new TreeMap<>(db.configs());
            List<String> members = new ArrayList<>(configs.getOrDefault(change.config(), List.of()));
            members.removeAll(change.removeZones());
            change.addZones().stream().map(Zone::name).filter(name -> !members.contains(name)).forEach(members::add);
            configs.put(change.config(), members);
            ZoningDatabase next = new ZoningDatabase(String.valueOf(Long.parseLong(db.stateToken()) + 1),
                    change.config(), configs, zones, aliases, new TreeMap<>());
            TreeMap<String, Zone> active = new TreeMap<>();
            for (String name : members) {
                Zone zone = zones.get(name);
                active.put(name, new Zone(name, new ArrayList<>(new LinkedHashSet<>(next.resolve(zone))), List.of()));
            }
            FABRICS.put(key, new ZoningDatabase(next.stateToken(), change.config(), configs, zones, aliases, active));
            return new PushReport(0, List.of("simulated fabric " + key + ": change applied"));
        }
    }

    /** Registers a login on a simulated fabric (labs and tests). */
    public static void login(String key, Login login) {
        LOGINS.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(login.wwpn(), login);
    }

    @Override
    public List<Login> readLogins() {
        return List.copyOf(LOGINS.getOrDefault(key, Map.of()).values());
    }

    @Override
    public List<String> preview(ZoningChange change, ZoningDatabase live) {
        return cliScript(change, live);
    }

    @Override
    public List<String> cliScript(ZoningChange change, ZoningDatabase live) {
        List<String> lines = new ArrayList<>();
        change.addAliases().forEach(a -> lines.add("alias " + a.name() + " = " + a.wwns()));
        change.addZones().forEach(z -> lines.add("add zone " + z.name() + " " + z.principals() + " " + z.members()));
        change.replaceZones().forEach(z -> lines.add("change zone " + z.name() + " " + z.principals() + " "
                + z.members()));
        change.removeZones().forEach(z -> lines.add("remove zone " + z));
        change.removeAliases().forEach(a -> lines.add("remove alias " + a));
        lines.add("activate " + change.config());
        return lines;
    }

    @Override
    public boolean supportsAliases() {
        return true;
    }

    private static List<Zone> concat(List<Zone> a, List<Zone> b) {
        List<Zone> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
