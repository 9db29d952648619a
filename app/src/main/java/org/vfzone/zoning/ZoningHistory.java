package org.vfzone.zoning;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.connection.FabricConnector;
import org.vfzone.fabric.Alias;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningChange;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.system.NotFoundException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fabric's zoning kept before and after every push: listed per fabric, downloaded as JSON or as the vendor CLI
 * that recreates the zones and aliases vfzone held at that moment. The newest {@code vfzone.zoning.snapshots-kept}
 * per fabric are kept.
 */
@Service
public class ZoningHistory {

    public enum Phase { BEFORE, AFTER }

    /** One kept read of a fabric's zoning, without its content. */
    public record Snapshot(long id, long fabricId, Long changeSetId, Phase phase, Instant takenAt, String stateToken,
                           int zones, int aliases, int vfzoneZones, int vfzoneAliases) {
    }

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final FabricService fabrics;
    private final FabricConnector connector;
    private final int kept;

    ZoningHistory(JdbcTemplate jdbc, JsonMapper json, Clock clock, FabricService fabrics,
                  FabricConnector connector, ZoningProperties properties) {
        int kept = properties.zoning().snapshotsKept();
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.fabrics = fabrics;
        this.connector = connector;
        this.kept = Math.max(2, kept);
    }

    /** Keeps what was read of the fabric around a push, with the names vfzone holds now; the oldest beyond the limit go. */
    @Transactional
    public void keep(long fabricId, long changeSetId, Phase phase, ZoningDatabase zoning) {
        List<String> ownedZones = jdbc.queryForList("select name from owned_zone_object where fabric_id = ? and kind = "
                + "'ZONE' order by name", String.class, fabricId);
        String owners = jdbc.queryForObject("select coalesce(jsonb_object_agg(name, jsonb_build_array(vm_id, array_id)),"
                + " '{}') from owned_zone_object where fabric_id = ? and kind = 'ZONE'", String.class, fabricId);
        List<String> ownedAliases = jdbc.queryForList("select name from owned_zone_object where fabric_id = ? and "
                + "kind = 'ALIAS' order by name", String.class, fabricId);
        jdbc.update("""
                insert into zoning_snapshot (fabric_id, change_set_id, phase, taken_at, state_token, owned_zones,
                                             owned_aliases, zoning, zone_owners)
                values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)
                on conflict (change_set_id, phase) do nothing
                """, fabricId, changeSetId, phase.name(), Timestamp.from(clock.instant()), zoning.stateToken(),
                ownedZones.toArray(String[]::new), ownedAliases.toArray(String[]::new), json.writeValueAsString(zoning),
                owners);
        jdbc.update("""
                delete from zoning_snapshot where fabric_id = ? and id not in
                  (select id from zoning_snapshot where fabric_id = ? order by id desc limit ?)
                """, fabricId, fabricId, kept);
    }

    @Transactional(readOnly = true)
    public List<Snapshot> of(long fabricId, int limit) {
        fabrics.get(fabricId);
        return jdbc.query("""
                select id, fabric_id, change_set_id, phase, taken_at, state_token,
                       (select count(*) from jsonb_object_keys(zoning -> 'zones')) as zones,
                       (select count(*) from jsonb_object_keys(zoning -> 'aliases')) as aliases,
                       cardinality(owned_zones) as owned_zones, cardinality(owned_aliases) as owned_aliases
                  from zoning_snapshot where fabric_id = ? order by id desc limit ?
                """, (rs, i) -> new Snapshot(rs.getLong("id"), rs.getLong("fabric_id"),
                (Long) rs.getObject("change_set_id"), Phase.valueOf(rs.getString("phase")),
                rs.getTimestamp("taken_at").toInstant(), rs.getString("state_token"), rs.getInt("zones"),
                rs.getInt("aliases"), rs.getInt("owned_zones"), rs.getInt("owned_aliases")), fabricId, limit);
    }

    /** The snapshot taken around a change set's push, if any. */
    @Transactional(readOnly = true)
    public Optional<Long> idOf(long changeSetId, Phase phase) {
        return jdbc.queryForList("select id from zoning_snapshot where change_set_id = ? and phase = ?", Long.class,
                changeSetId, phase.name()).stream().findFirst();
    }

    /** A snapshot's zoning as read, and which of its zones and aliases were vfzone's then. */
    public record Content(Snapshot snapshot, ZoningDatabase zoning, Set<String> vfzoneZones,
                          Set<String> vfzoneAliases, Map<String, Owner> zoneOwners) {
    }

    /** The VM and array a vfzone zone was for (either may since be gone). */
    public record Owner(Long vmId, Long arrayId) {
    }

    @Transactional(readOnly = true)
    public Content content(long fabricId, long snapshotId) {
        return jdbc.query("""
                select s.*, (select count(*) from jsonb_object_keys(zoning -> 'zones')) as zones,
                       (select count(*) from jsonb_object_keys(zoning -> 'aliases')) as aliases
                  from zoning_snapshot s where id = ? and fabric_id = ?
                """, (rs, i) -> {
            String[] zones = (String[]) rs.getArray("owned_zones").getArray();
            String[] aliases = (String[]) rs.getArray("owned_aliases").getArray();
            Snapshot snapshot = new Snapshot(rs.getLong("id"), rs.getLong("fabric_id"),
                    (Long) rs.getObject("change_set_id"), Phase.valueOf(rs.getString("phase")),
                    rs.getTimestamp("taken_at").toInstant(), rs.getString("state_token"), rs.getInt("zones"),
                    rs.getInt("aliases"), zones.length, aliases.length);
            Map<String, Owner> owners = new TreeMap<>();
            json.readTree(rs.getString("zone_owners")).properties().forEach(entry -> owners.put(entry.getKey(),
                    new Owner(entry.getValue().get(0).isNull() ? null : entry.getValue().get(0).asLong(),
                            entry.getValue().get(1).isNull() ? null : entry.getValue().get(1).asLong())));
            return new Content(snapshot, json.readValue(rs.getString("zoning"), ZoningDatabase.class),
                    new TreeSet<>(List.of(zones)), new TreeSet<>(List.of(aliases)), owners);
        }, snapshotId, fabricId).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("Zoning snapshot", snapshotId));
    }

    /**
     * The vendor CLI that recreates, on a fabric without them, the zones and aliases vfzone held in the snapshot and
     * adds the zones to the configuration that was active (or the fabric's default), as an admin would paste it.
     */
    @Transactional(readOnly = true)
    public List<String> recreateScript(long fabricId, long snapshotId) {
        Content content = content(fabricId, snapshotId);
        Fabric fabric = fabrics.get(fabricId);
        ZoningDatabase zoning = content.zoning();
        List<Alias> aliases = zoning.aliases().values().stream()
                .filter(alias -> content.vfzoneAliases().contains(alias.name())).toList();
        List<Zone> zones = zoning.zones().values().stream()
                .filter(zone -> content.vfzoneZones().contains(zone.name())).toList();
        String config = zoning.activeConfig() != null ? zoning.activeConfig() : fabric.getDefaultConfigName();
        ZoningChange recreate = new ZoningChange(config, "", aliases, List.of(), zones, List.of(), List.of());
        return connector.driver(fabric).cliScript(recreate, ZoningDatabase.empty(""));
    }
}
