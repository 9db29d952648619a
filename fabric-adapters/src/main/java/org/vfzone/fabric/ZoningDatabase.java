package org.vfzone.fabric;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A fabric's zoning database as read in one go.
 *
 * @param stateToken   changes whenever the committed database changes: the Brocade checksum, or for switches
 *                     without one a digest of what was read. A push is refused when it no longer matches.
 * @param activeConfig name of the enabled cfg / active zoneset, or null when none is active
 * @param configs      defined cfgs / zonesets and their member zone names
 * @param zones        defined zones by name
 * @param aliases      aliases by name
 * @param activeZones  zones of the effective configuration, members resolved to WWNs
 * @param sessionCommit whether edits take effect only with an explicit commit (Cisco MDS enhanced zoning)
 * @param capacity     how full the switch says its zone database is, or null where it does not say
 * @param protocol     how the switch was spoken to where it depends on its firmware or modes (e.g. "Fabric OS v8.2.1a:
 *                     zoning under /rest/running/zoning/ in XML"), or null
 */
public record ZoningDatabase(String stateToken, String activeConfig, SortedMap<String, List<String>> configs,
                             SortedMap<String, Zone> zones, SortedMap<String, Alias> aliases,
                             SortedMap<String, Zone> activeZones, boolean sessionCommit, Capacity capacity,
                             String protocol) {

    /**
     * Zone database use as the switch reports it: bytes in use and the most it may hold (Brocade {@code db-committed}
     * and {@code db-max}; MDS {@code fulldb_dbsize} and {@code maxdb_dbsize}).
     */
    public record Capacity(long usedBytes, long maxBytes) {
        public double percent() {
            return maxBytes <= 0 ? 0 : 100.0 * usedBytes / maxBytes;
        }
    }

    public ZoningDatabase(String stateToken, String activeConfig, SortedMap<String, List<String>> configs,
                          SortedMap<String, Zone> zones, SortedMap<String, Alias> aliases,
                          SortedMap<String, Zone> activeZones, boolean sessionCommit) {
        this(stateToken, activeConfig, configs, zones, aliases, activeZones, sessionCommit, null, null);
    }

    public ZoningDatabase(String stateToken, String activeConfig, SortedMap<String, List<String>> configs,
                          SortedMap<String, Zone> zones, SortedMap<String, Alias> aliases,
                          SortedMap<String, Zone> activeZones, boolean sessionCommit, Capacity capacity) {
        this(stateToken, activeConfig, configs, zones, aliases, activeZones, sessionCommit, capacity, null);
    }

    public ZoningDatabase(String stateToken, String activeConfig, SortedMap<String, List<String>> configs,
                          SortedMap<String, Zone> zones, SortedMap<String, Alias> aliases,
                          SortedMap<String, Zone> activeZones) {
        this(stateToken, activeConfig, configs, zones, aliases, activeZones, false, null, null);
    }

    public ZoningDatabase {
        configs = new TreeMap<>(configs);
        zones = new TreeMap<>(zones);
        aliases = new TreeMap<>(aliases);
        activeZones = new TreeMap<>(activeZones);
    }

    public static ZoningDatabase empty(String stateToken) {
        return new ZoningDatabase(stateToken, null, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    /** The WWNs a zone's members stand for, aliases expanded; principals included. */
    public Set<String> resolve(Zone zone) {
        Set<String> wwns = new LinkedHashSet<>();
        for (String member : zone.principals()) {
            expand(member, wwns);
        }
        for (String member : zone.members()) {
            expand(member, wwns);
        }
        return wwns;
    }

    private void expand(String member, Set<String> into) {
        Alias alias = aliases.get(member);
        if (alias != null) {
            into.addAll(alias.wwns());
        } else {
            into.add(member);
        }
    }

    /** The same database with the capacity the switch reported. */
    public ZoningDatabase withCapacity(Capacity reported) {
        return new ZoningDatabase(stateToken, activeConfig, configs, zones, aliases, activeZones, sessionCommit,
                reported, protocol);
    }

    /** The same database, saying how the switch was spoken to. */
    public ZoningDatabase withProtocol(String described) {
        return new ZoningDatabase(stateToken, activeConfig, configs, zones, aliases, activeZones, sessionCommit,
                capacity, described);
    }

    public Map<String, Zone> zonesWithPrefix(String prefix) {
        return zones.subMap(prefix, prefix + Character.MAX_VALUE);
    }
}
