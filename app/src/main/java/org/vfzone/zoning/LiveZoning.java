package org.vfzone.zoning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.vfzone.connection.FabricConnector;
import org.vfzone.fabric.Alias;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.logins.LoginQueries;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFormatException;
import org.vfzone.wwn.WwnRegistry;
import org.vfzone.wwn.WwnUsage;

/**
 * A fabric's zoning as the switch holds it (defined and effective configs, zones, aliases), every object marked as
 * vfzone's or foreign and every member resolved to WWPNs and to what vfzone knows them as. Switch reads are kept
 * for a short while per fabric, so paging and searching a large fabric does not read the switch each time; a
 * refresh reads it again.
 */
@Component
public class LiveZoning implements DisposableBean {

    /** Switches read side by side for a look across fabrics, at most. */
    static final int PARALLEL_READS = 4;

    public record Wwpn(String wwpn, String knownAs, boolean loggedIn) {
    }

    /** A zone member: an alias (with the WWPNs it stands for) or a WWPN itself. */
    public record Member(String name, boolean alias, List<Wwpn> wwpns) {
    }

    /** {@code targetCreated}: a peer zone the storage target made for itself, which vfzone never touches. */
    public record ZoneView(String name, boolean owned, boolean effective, List<String> configs, boolean peer,
                           List<Member> members, boolean targetCreated) {
    }

    public record AliasView(String name, boolean owned, List<Wwpn> wwpns) {
    }

    public record View(long fabricId, String fabricName, String stateToken, Instant readAt, String activeConfig,
                       Map<String, List<String>> configs, String query, int page, int size, long matchingZones,
                       long totalZones, List<ZoneView> zones, List<AliasView> aliases, long matchingAliases,
                       String protocol) {

        public int pages() {
            return (int) Math.max(1, (matchingZones + size - 1) / size);
        }
    }

    /** A zone holding a WWN, directly or through an alias ({@code via}). */
    public record WwnZone(long fabricId, String fabricName, String zone, boolean owned, boolean effective,
                          String via) {
    }

    /** A fabric whose zoning could not be read for the answer. */
    public record Unreadable(long fabricId, String fabricName, String problem) {
    }

    public record WwnZones(String wwn, List<WwnZone> zones, List<Unreadable> unreadable) {
    }

    /** A switch read, or why it failed: a failure is kept as long as a read, so an unreachable switch is not
     *  asked again (and waited for) by every look at a WWN until the admin refreshes or the minute is over. */
    private record Read(ZoningDatabase zoning, Instant at, String problem) {
    }

    static final int MAX_ALIASES_SHOWN = 200;

    private final FabricService fabrics;
    private final FabricConnector connector;
    private final WwnRegistry registry;
    private final JdbcTemplate jdbc;
    private final LoginQueries logins;
    private final Clock clock;
    private final Cache<Long, Read> reads;
    private final ExecutorService readers = Executors.newFixedThreadPool(PARALLEL_READS, runnable -> {
        Thread thread = new Thread(runnable, "zoning-read");
        thread.setDaemon(true);
        return thread;
    });

    LiveZoning(FabricService fabrics, FabricConnector connector, WwnRegistry registry, JdbcTemplate jdbc,
               LoginQueries logins, Clock clock,
               ZoningProperties properties) {
        Duration keepReadFor = properties.liveZoning().keepReadFor();
        this.fabrics = fabrics;
        this.connector = connector;
        this.registry = registry;
        this.jdbc = jdbc;
        this.logins = logins;
        this.clock = clock;
        // one read per fabric for a minute: sized for every fabric of a large estate, so a look across all fabrics
        // never evicts the reads (or kept failures) it has just made
        this.reads = Caffeine.newBuilder().maximumSize(4096).expireAfterWrite(keepReadFor).build();
    }

    /** Forgets the kept read of a fabric: the next view reads the switch. */
    public void refresh(long fabricId) {
        fabrics.get(fabricId);
        forget(fabricId);
    }

    void forget(long fabricId) {
        reads.invalidate(fabricId);
    }

    /**
     * One page of the fabric's zones (by name) matching {@code query}: part of a zone, alias or member name, a
     * WWPN in any notation, or what vfzone knows a member as.
     */
    public View view(long fabricId, String query, int page, int size) {
        Fabric fabric = fabrics.get(fabricId);
        Read read = read(fabric);
        ZoningDatabase zoning = read.zoning();
        Set<String> owned = owned(fabricId);
        Set<String> loggedIn = logins.loggedInWwpns(fabricId);
        String needle = normalise(query);
        Map<String, WwnUsage> everyUsage = needle.isEmpty() ? Map.of() : registry.findUsages(allWwpns(zoning));
        List<Zone> matching = zoning.zones().values().stream()
                .filter(zone -> needle.isEmpty() || matches(zone, zoning, needle, everyUsage)).toList();
        int from = Math.min(page * size, matching.size());
        List<Zone> shown = matching.subList(from, Math.min(from + size, matching.size()));
        List<Alias> aliases = zoning.aliases().values().stream()
                .filter(alias -> needle.isEmpty() || alias.name().toLowerCase(Locale.ROOT).contains(needle)
                        || alias.wwns().stream().anyMatch(w -> w.contains(needle)))
                .toList();
        Set<String> pageWwpns = new LinkedHashSet<>();
        shown.forEach(zone -> pageWwpns.addAll(zoning.resolve(zone)));
        aliases.stream().limit(MAX_ALIASES_SHOWN).forEach(alias -> pageWwpns.addAll(alias.wwns()));
        // a search already looked up every member; a plain page looks up only its own
        Map<String, WwnUsage> usages = needle.isEmpty() ? registry.findUsages(pageWwpns) : everyUsage;
        List<ZoneView> zoneViews = new ArrayList<>();
        for (Zone zone : shown) {
            List<Member> members = new ArrayList<>();
            for (String member : concat(zone.principals(), zone.members())) {
                Alias alias = zoning.aliases().get(member);
                List<String> wwpns = alias != null ? alias.wwns() : List.of(member);
                members.add(new Member(member, alias != null, wwpns.stream()
                        .map(w -> wwpn(w, usages, loggedIn)).toList()));
            }
            List<String> inConfigs = zoning.configs().entrySet().stream()
                    .filter(config -> config.getValue().contains(zone.name())).map(Map.Entry::getKey).toList();
            zoneViews.add(new ZoneView(zone.name(), isOwned(zone.name(), fabric, owned),
                    zoning.activeZones().containsKey(zone.name()), inConfigs, zone.peer(), members,
                    zone.targetCreated()));
        }
        List<AliasView> aliasViews = aliases.stream().limit(MAX_ALIASES_SHOWN)
                .map(alias -> new AliasView(alias.name(), isOwned(alias.name(), fabric, owned),
                        alias.wwns().stream().map(w -> wwpn(w, usages, loggedIn)).toList()))
                .toList();
        return new View(fabricId, fabric.getName(), zoning.stateToken(), read.at(), zoning.activeConfig(),
                zoning.configs(), query == null ? "" : query, page, size, matching.size(), zoning.zones().size(),
                zoneViews, aliasViews, aliases.size(), zoning.protocol());
    }

    /** Every zone on every fabric holding this WWN, directly or through an alias, vfzone's or foreign. */
    public WwnZones zonesWith(Wwn wwn) {
        String wanted = wwn.toString();
        List<WwnZone> found = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        List<Fabric> all = fabrics.list();
        Map<Long, Object> readOrRefusal = readAll(all);
        for (Fabric fabric : all) {
            if (readOrRefusal.get(fabric.getId()) instanceof RuleViolation e) {
                unreadable.add(new Unreadable(fabric.getId(), fabric.getName(), e.getMessage()));
                continue;
            }
            Read read = (Read) readOrRefusal.get(fabric.getId());
            ZoningDatabase zoning = read.zoning();
            Set<String> owned = owned(fabric.getId());
            for (Zone zone : zoning.zones().values()) {
                String via = null;
                boolean holds = false;
                for (String member : concat(zone.principals(), zone.members())) {
                    Alias alias = zoning.aliases().get(member);
                    if (alias != null && alias.wwns().contains(wanted)) {
                        holds = true;
                        via = alias.name();
                        break;
                    }
                    if (member.equals(wanted)) {
                        holds = true;
                    }
                }
                if (holds) {
                    found.add(new WwnZone(fabric.getId(), fabric.getName(), zone.name(),
                            isOwned(zone.name(), fabric, owned), zoning.activeZones().containsKey(zone.name()), via));
                }
            }
        }
        return new WwnZones(wanted, found, unreadable);
    }

    /**
     * Every fabric's read (as {@link #read}), or why it cannot be read: the switches are asked side by side, so a look
     * across fabrics waits for the slowest switch, not for all of them one after another.
     */
    private Map<Long, Object> readAll(List<Fabric> all) {
        Map<Long, Future<Read>> asked = new LinkedHashMap<>();
        for (Fabric fabric : all) {
            asked.put(fabric.getId(), readers.submit(() -> read(fabric)));
        }
        Map<Long, Object> answers = new HashMap<>();
        try {
            for (Map.Entry<Long, Future<Read>> each : asked.entrySet()) {
                try {
                    answers.put(each.getKey(), each.getValue().get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuleViolation refusal) {
                        answers.put(each.getKey(), refusal);
                    } else if (e.getCause() instanceof RuntimeException failure) {
                        throw failure;
                    } else {
                        throw new IllegalStateException(e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            asked.values().forEach(read -> read.cancel(true));
            throw new IllegalStateException("interrupted while reading the fabrics' zoning", e);
        }
        return answers;
    }

    @Override
    public void destroy() {
        readers.shutdownNow();
    }

    /** The fabric's zoning as last read (within the minute it is kept), else read now. */
    ZoningDatabase zoning(Fabric fabric) {
        return read(fabric).zoning();
    }

    /** Every zone on every fabric holding any of these WWNs (a VM's WWPNs), each zone once. */
    public WwnZones zonesWithAny(List<Wwn> wwns) {
        List<WwnZone> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Unreadable> unreadable = new ArrayList<>();
        for (Wwn wwn : wwns) {
            WwnZones each = zonesWith(wwn);
            each.zones().stream().filter(zone -> seen.add(zone.fabricId() + "/" + zone.zone())).forEach(found::add);
            if (unreadable.isEmpty()) {
                unreadable.addAll(each.unreadable());
            }
        }
        return new WwnZones(wwns.stream().map(Wwn::toString).collect(Collectors.joining(", ")),
                found, unreadable);
    }

    private Read read(Fabric fabric) {
        Read read = reads.get(fabric.getId(), id -> {
            try {
                return new Read(connector.driver(fabric).read(), clock.instant(), null);
            } catch (FabricException | RuleViolation e) {
                return new Read(null, clock.instant(), e.getMessage());
            }
        });
        if (read.problem() != null) {
            throw RuleViolation.conflict(null, "Cannot read the zoning of fabric " + fabric.getName() + ": "
                    + read.problem());
        }
        return read;
    }

    private Set<String> owned(long fabricId) {
        return new HashSet<>(jdbc.queryForList("select name from owned_zone_object where fabric_id = ?",
                String.class, fabricId));
    }

    private static boolean isOwned(String name, Fabric fabric, Set<String> owned) {
        return owned.contains(name) || name.startsWith(fabric.getOwnedPrefix());
    }

    private static Wwpn wwpn(String wwpn, Map<String, WwnUsage> usages, Set<String> loggedIn) {
        WwnUsage usage = usages.get(wwpn);
        return new Wwpn(wwpn, usage == null ? null : usage.description(), loggedIn.contains(wwpn));
    }

    private static boolean matches(Zone zone, ZoningDatabase zoning, String needle, Map<String, WwnUsage> usages) {
        if (zone.name().toLowerCase(Locale.ROOT).contains(needle)) {
            return true;
        }
        for (String member : concat(zone.principals(), zone.members())) {
            if (member.toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        for (String wwpn : zoning.resolve(zone)) {
            WwnUsage usage = usages.get(wwpn);
            if (wwpn.contains(needle) || usage != null && usage.description().toLowerCase(Locale.ROOT)
                    .contains(needle)) {
                return true;
            }
        }
        return false;
    }

    /** A WWPN in any notation becomes its canonical text; anything else is searched in lower case. */
    private static String normalise(String query) {
        String text = query == null ? "" : query.strip();
        if (text.isEmpty()) {
            return "";
        }
        try {
            return Wwn.parse(text).toString();
        } catch (WwnFormatException notAWwn) {
            return text.toLowerCase(Locale.ROOT);
        }
    }

    private static Set<String> allWwpns(ZoningDatabase zoning) {
        Set<String> wwpns = new HashSet<>();
        zoning.zones().values().forEach(zone -> wwpns.addAll(zoning.resolve(zone)));
        zoning.aliases().values().forEach(alias -> wwpns.addAll(alias.wwns()));
        return wwpns;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
