package org.vfzone.zoning;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.connection.FabricConnector;
import org.vfzone.fabric.Alias;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.security.People;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.Texts;
import org.vfzone.wwn.WwnRegistry;
import org.vfzone.wwn.WwnUsage;
import org.vfzone.zoning.internal.OwnedZoneObjectRepository;

/**
 * Compares the zones vfzone last pushed with each fabric's effective configuration and records what was removed or
 * changed outside vfzone. Runs on a schedule (one node at a time, via a database lock) and on demand; planning the
 * fabric then repairs it.
 */
@Component
public class DriftDetector {

    private static final Logger log = LoggerFactory.getLogger(DriftDetector.class);

    /** DEFERRED: a push ran on the fabric while it was read; nothing is recorded, and it is checked after the push. */
    public enum Status { IN_SYNC, DRIFT, UNREADABLE, DEFERRED }

    /** Fabrics whose check was put off by a push: checked again when that push ends. */
    private final Set<Long> deferred = ConcurrentHashMap.newKeySet();

    public record Result(Status status, List<String> problems) {
    }

    private final TaskExecutor executor;
    private final FabricService fabrics;
    private final FabricConnector connector;
    private final OwnedZoneObjectRepository owned;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final InventoryDirectory inventory;
    private final ApplicationEventPublisher events;
    private final WwnRegistry registry;

    DriftDetector(FabricService fabrics, FabricConnector connector, OwnedZoneObjectRepository owned, JdbcTemplate jdbc,
                  TransactionTemplate transaction, Clock clock, InventoryDirectory inventory,
                  ApplicationEventPublisher events, WwnRegistry registry,
                  @Qualifier("applicationTaskExecutor")
                  TaskExecutor executor) {
        this.executor = executor;
        this.registry = registry;
        this.events = events;
        this.inventory = inventory;
        this.fabrics = fabrics;
        this.connector = connector;
        this.owned = owned;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${vfzone.drift.interval:PT15M}", initialDelayString = "${vfzone.drift.initial-delay:PT2M}")
    @SchedulerLock(name = "zoning-drift-check", lockAtMostFor = "PT30M", lockAtLeastFor = "PT30S")
    public void checkAll() {
        People.runAsSystem(() -> {
            for (Fabric fabric : fabrics.list()) {
                try {
                    check(fabric.getId());
                } catch (RuntimeException e) {
                    log.warn("Drift check of fabric {} failed: {}", fabric.getName(), e.getMessage());
                }
            }
        });
    }

    /** Checks one fabric now and records the result. */
    public Result check(long fabricId) {
        // a push that ended while the fabric was read: read it again, now that it holds the push's result
        for (int attempt = 1; ; attempt++) {
            Result result = checkOnce(fabricId);
            if (result.status() != Status.DEFERRED || attempt == 3 || pushing(fabricId)) {
                return result;
            }
        }
    }

    private boolean pushing(long fabricId) {
        Long pushes = jdbc.queryForObject("select count(*) from change_set where fabric_id = ? and status = "
                + "'PUSHING'", Long.class, fabricId);
        return pushes != null && pushes > 0;
    }

    private Result checkOnce(long fabricId) {
        Instant readStart = clock.instant();
        if (pushRanSince(fabricId, readStart)) {
            return defer(fabricId);
        }
        Fabric fabric = fabrics.get(fabricId);
        List<OwnedZoneObject> ownedObjects = owned.findByFabricId(fabricId);
        List<OwnedZoneObject> zones = ownedObjects.stream()
                .filter(o -> o.getKind() == OwnedZoneObject.Kind.ZONE).toList();
        ZoningDatabase live;
        try {
            live = connector.driver(fabric).read();
        } catch (FabricException | RuleViolation e) {
            return store(fabricId, new Result(Status.UNREADABLE, List.of("cannot read the fabric: " + e.getMessage())),
                    List.of(), null);
        }
        List<String> problems = new ArrayList<>();
        List<Object[]> drifted = new ArrayList<>();
        MemberNames names = memberNames(ownedObjects, live);
        Set<String> reported = new HashSet<>();
        for (OwnedZoneObject zone : zones) {
            Set<String> expected = new LinkedHashSet<>(Arrays.asList(zone.getMembers().split(",")));
            Zone active = live.activeZones().get(zone.getName());
            String problem = null;
            if (active == null) {
                problem = live.zones().containsKey(zone.getName()) ? "defined but not in the effective configuration"
                        : "removed from the fabric outside vfzone";
            } else if (!Set.copyOf(live.resolve(active)).equals(expected)) {
                Set<String> actual = live.resolve(active);
                List<String> missing = expected.stream().filter(w -> !actual.contains(w)).map(names::describe).toList();
                List<String> extra = actual.stream().filter(w -> !expected.contains(w)).map(names::describe).toList();
                problem = "members changed outside vfzone:" + (missing.isEmpty() ? "" : " missing "
                        + String.join(", ", missing)) + (missing.isEmpty() || extra.isEmpty() ? "" : ";")
                        + (extra.isEmpty() ? "" : " extra " + String.join(", ", extra));
            }
            if (problem != null) {
                problems.add("zone " + zone.getName() + " " + problem);
                drifted.add(new Object[] {zone.getName(), zone.getVmId(), problem});
                reported.add(zone.getName());
            }
        }
        for (OwnedZoneObject alias : ownedObjects) {
            if (alias.getKind() != OwnedZoneObject.Kind.ALIAS) {
                continue;
            }
            Alias onSwitch = live.aliases().get(alias.getName());
            Set<String> expected = new LinkedHashSet<>(Arrays.asList(alias.getMembers().split(",")));
            if (onSwitch == null) {
                problems.add("alias " + alias.getName() + " removed from the fabric outside vfzone");
                drifted.add(new Object[] {alias.getName(), null, "alias removed outside vfzone"});
            } else if (!Set.copyOf(onSwitch.wwns()).equals(expected)) {
                problems.add("alias " + alias.getName() + " holds " + onSwitch.wwns() + " instead of " + expected);
                drifted.add(new Object[] {alias.getName(), null, "alias changed outside vfzone: " + onSwitch.wwns()
                        + " instead of " + expected});
            }
        }
        for (OwnedZoneObject zone : zones) {
            Zone defined = live.zones().get(zone.getName());
            if (defined == null || reported.contains(zone.getName())) {
                continue;
            }
            if (zone.getMemberNames() != null && !zone.getMemberNames().equals(OwnedZoneObject.memberNames(defined))) {
                List<String> pushed = Arrays.asList(zone.getMemberNames().split(","));
                List<String> now = Arrays.asList(OwnedZoneObject.memberNames(defined).split(","));
                String problem = "members renamed outside vfzone: "
                        + String.join(", ", now.stream().filter(m -> !pushed.contains(m)).toList()) + " instead of "
                        + String.join(", ", pushed.stream().filter(m -> !now.contains(m)).toList());
                problems.add("zone " + zone.getName() + " " + problem);
                drifted.add(new Object[] {zone.getName(), zone.getVmId(), problem});
                continue;
            }
            List<String> dangling = new ArrayList<>();
            defined.members().stream().filter(m -> !isWwn(m) && !live.aliases().containsKey(m)).forEach(dangling::add);
            defined.principals().stream().filter(m -> !isWwn(m) && !live.aliases().containsKey(m)).forEach(dangling::add);
            if (!dangling.isEmpty()) {
                String problem = "names aliases the fabric does not have: " + dangling;
                problems.add("zone " + zone.getName() + " " + problem);
                drifted.add(new Object[] {zone.getName(), zone.getVmId(), problem});
            }
        }
        return storeUnlessPushed(fabricId, readStart,
                new Result(problems.isEmpty() ? Status.IN_SYNC : Status.DRIFT, problems), drifted, live.protocol());
    }

    /**
     * Whether a change set is being pushed to (or verified on) the fabric, or ended a push since {@code since}: what
     * was read may then hold the push's own changes, which are not drift.
     */
    private boolean pushRanSince(long fabricId, Instant since) {
        Long pushes = jdbc.queryForObject("select count(*) from change_set where fabric_id = ? and (status = "
                + "'PUSHING' or push_started_at >= ? or finished_at >= ?)", Long.class, fabricId,
                Timestamp.from(since), Timestamp.from(since));
        return pushes != null && pushes > 0;
    }

    private Result defer(long fabricId) {
        deferred.add(fabricId);
        return new Result(Status.DEFERRED, List.of("a change set is being pushed to this fabric; it is checked "
                + "once the push has ended"));
    }

    private Result storeUnlessPushed(long fabricId, Instant readStart, Result result,
                                     List<Object[]> drifted, String protocol) {
        // checked again after reading: a push that started meanwhile would show its own changes as drift
        if (pushRanSince(fabricId, readStart)) {
            return defer(fabricId);
        }
        return store(fabricId, result, drifted, protocol);
    }

    /** A push ended: a check it put off runs now, as vfzone's own work. */
    @TransactionalEventListener(fallbackExecution = true)
    void afterPush(ZoningEvent event) {
        boolean ended = event.kind() == ZoningEvent.Kind.CHANGE_PUSHED || event.kind() == ZoningEvent.Kind.CHANGE_FAILED
                || event.kind() == ZoningEvent.Kind.CHANGE_STALE;
        if (ended && deferred.remove(event.fabricId())) {
            long fabricId = event.fabricId();
            executor.execute(() -> People.runAsSystem(() -> {
                try {
                    check(fabricId);
                } catch (RuntimeException e) {
                    log.warn("Drift check of fabric {} after a push failed: {}", fabricId, e.getMessage());
                }
            }));
        }
    }

    /** Says what a WWPN is: the alias vfzone made for it and what vfzone knows it as. */
    private record MemberNames(Map<String, String> aliasOf, Map<String, WwnUsage> usages) {
        String describe(String wwpn) {
            String alias = aliasOf.get(wwpn);
            WwnUsage usage = usages.get(wwpn);
            return wwpn + " (" + (alias == null ? "" : "alias " + alias + ", ")
                    + (usage == null ? "unknown to vfzone" : usage.description()) + ")";
        }
    }

    private MemberNames memberNames(List<OwnedZoneObject> ownedObjects, ZoningDatabase live) {
        Map<String, String> aliasOf = new HashMap<>();
        Set<String> wwpns = new HashSet<>();
        for (OwnedZoneObject object : ownedObjects) {
            List<String> members = Arrays.asList(object.getMembers().split(","));
            wwpns.addAll(members);
            if (object.getKind() == OwnedZoneObject.Kind.ALIAS) {
                members.forEach(wwpn -> aliasOf.putIfAbsent(wwpn, object.getName()));
            }
        }
        live.activeZones().values().forEach(zone -> wwpns.addAll(live.resolve(zone)));
        return new MemberNames(aliasOf, registry.findUsages(wwpns));
    }

    private static boolean isWwn(String member) {
        return member.matches("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){7}$");
    }

    /** @param protocol how the switch was spoken to (firmware, dialect, modes); null keeps what the last read said */
    private Result store(long fabricId, Result result, List<Object[]> drifted, String protocol) {
        Timestamp now = Timestamp.from(clock.instant());
        transaction.executeWithoutResult(status -> {
            String before = jdbc.query("select status from fabric_drift_check where fabric_id = ? for update",
                    (rs, n) -> rs.getString(1), fabricId).stream().findFirst().orElse(Status.IN_SYNC.name());
            if (result.status() != Status.IN_SYNC && !result.status().name().equals(before)) {
                // said once when a fabric starts to drift or becomes unreadable, not at every check
                String fabricName = inventory.fabricNames().get(fabricId);
                events.publishEvent(new ZoningEvent(result.status() == Status.DRIFT ? ZoningEvent.Kind.DRIFT_FOUND
                        : ZoningEvent.Kind.FABRIC_UNREACHABLE, null, fabricId, fabricName, "system",
                        (result.status() == Status.DRIFT ? "Zoning drift on " : "Cannot read the zoning of ")
                                + fabricName, String.join("\n", result.problems())));
            }
            jdbc.update("delete from zone_drift where fabric_id = ?", fabricId);
            for (Object[] zone : drifted) {
                jdbc.update("insert into zone_drift (fabric_id, zone_name, vm_id, problem, detected_at) "
                        + "values (?, ?, ?, ?, ?)", fabricId, zone[0], zone[1], Texts.abbreviate((String) zone[2], 500), now);
            }
            String message = result.problems().isEmpty() ? null : String.join("; ", result.problems());
            if (message != null && message.length() > 500) {
                message = message.substring(0, 497) + "...";
            }
            jdbc.update("""
                    insert into fabric_drift_check (fabric_id, checked_at, status, message, switch_protocol)
                    values (?, ?, ?, ?, ?)
                    on conflict (fabric_id) do update set checked_at = excluded.checked_at, status = excluded.status,
                        message = excluded.message,
                        switch_protocol = coalesce(excluded.switch_protocol, fabric_drift_check.switch_protocol)
                    """, fabricId, now, result.status().name(), message, Texts.abbreviate(protocol, 300));
        });
        return result;
    }

    public record FabricDrift(long fabricId, String fabricName, String status, Instant checkedAt, String message,
                              long driftedZones) {
    }

    /** Fabrics whose last check found drift or could not read them. */
    public List<FabricDrift> problems() {
        Map<Long, String> fabricNames = inventory.fabricNames();
        return jdbc.query("""
                select c.fabric_id, c.status, c.checked_at, c.message,
                       (select count(*) from zone_drift d where d.fabric_id = c.fabric_id)
                  from fabric_drift_check c
                 where c.status <> 'IN_SYNC'
                """, (rs, i) -> new FabricDrift(rs.getLong(1), fabricNames.get(rs.getLong(1)),
                rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getLong(5))).stream()
                .sorted(Comparator.comparing(FabricDrift::fabricName)).toList();
    }

    public record VmDrift(String fabricName, long fabricId, String zoneName, String problem) {
    }

    public List<VmDrift> ofVm(long vmId) {
        Map<Long, String> fabricNames = inventory.fabricNames();
        return jdbc.query("""
                select d.fabric_id, d.zone_name, d.problem from zone_drift d where d.vm_id = ?
                """, (rs, i) -> new VmDrift(fabricNames.get(rs.getLong(1)), rs.getLong(1), rs.getString(2),
                rs.getString(3)), vmId).stream().sorted(Comparator.comparing(VmDrift::fabricName)
                .thenComparing(VmDrift::zoneName)).toList();
    }
}
