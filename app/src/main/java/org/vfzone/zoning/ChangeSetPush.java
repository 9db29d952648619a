package org.vfzone.zoning;

import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.audit.AuditLog;
import org.vfzone.connection.FabricConnector;
import org.vfzone.fabric.Alias;
import org.vfzone.fabric.FabricDriver;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.PushReport;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.security.FabricAccess;
import org.vfzone.security.People;
import org.vfzone.security.Role;
import org.vfzone.system.AppNode;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;
import org.vfzone.zoning.internal.ChangeSetRepository;
import org.vfzone.zoning.internal.OwnedZoneObjectRepository;

/**
 * Pushing approved change sets: claiming one (one push per fabric at a time), sending it in one switch transaction,
 * verifying it by reading the fabric back, recording how it ended and what vfzone then owns, and ending pushes a
 * stopped node left by reading the fabric back. Planning and approval are {@link ChangeSetService}'s.
 */
@Service
public class ChangeSetPush {

    private static final Logger log = LoggerFactory.getLogger(ChangeSetPush.class);

    private final ChangeSetService service;
    private final ChangeSetRepository changeSets;
    private final OwnedZoneObjectRepository owned;
    private final FabricService fabrics;
    private final FabricConnector connector;
    private final FabricAccess access;
    private final AuditLog audit;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final AppNode node;
    private final TaskExecutor executor;
    private final Duration stuckAfter;
    private final People people;
    private final LiveZoning liveZoning;
    private final ZoningHistory history;
    private final ApplicationEventPublisher events;

    ChangeSetPush(ChangeSetService service, ChangeSetRepository changeSets, OwnedZoneObjectRepository owned,
                  FabricService fabrics, FabricConnector connector, FabricAccess access, AuditLog audit,
                  JdbcTemplate jdbc, TransactionTemplate transaction, Clock clock, AppNode node,
                  @Qualifier("applicationTaskExecutor") TaskExecutor executor, ZoningProperties properties,
                  People people, LiveZoning liveZoning, ZoningHistory history,
                  ApplicationEventPublisher events) {
        this.service = service;
        this.changeSets = changeSets;
        this.owned = owned;
        this.fabrics = fabrics;
        this.connector = connector;
        this.access = access;
        this.audit = audit;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
        this.node = node;
        this.executor = executor;
        this.stuckAfter = properties.push().stuckAfter();
        this.people = people;
        this.liveZoning = liveZoning;
        this.history = history;
        this.events = events;
    }

    String fabricName(ChangeSet changeSet) {
        return service.fabricName(changeSet);
    }

    /**
     * Pushes, as their approvers, the approved change sets whose change window is open and whose approver asked for
     * that; cancels approved ones whose window closed unpushed. Each refusal (the approver may no longer push, the
     * fabric is busy) is recorded on the change set and leaves it for a person.
     */
    public void pushInOpenWindows() {
        Instant now = clock.instant();
        for (ChangeSet due : changeSets.findByStatusOrderById(ChangeSetStatus.APPROVED)) {
            if (due.getWindowEnd() != null && !now.isBefore(due.getWindowEnd())) {
                transaction.executeWithoutResult(status -> changeSets.findByIdForUpdate(due.getId())
                        .filter(cs -> cs.getStatus() == ChangeSetStatus.APPROVED).ifPresent(cs -> {
                            String message = "Its change window closed at " + ChangeSetService.WINDOW_TIME.format(cs.getWindowEnd())
                                    + " UTC before it was pushed; plan it again";
                            cs.finish(ChangeSetStatus.CANCELLED, null, message + ".", now);
                            audit.record(People.SYSTEM, "CANCEL", "change_set", cs.getId(), message, null);
                            String fabricName = fabricName(cs);
                            events.publishEvent(new ZoningEvent(ZoningEvent.Kind.CHANGE_CANCELLED, cs.getId(),
                                    cs.getFabricId(), fabricName, People.SYSTEM, "Change set " + cs.getId() + " on "
                                    + fabricName + ": " + message, null));
                        }));
            } else if (due.isPushInWindow() && due.inWindow(now)) {
                String approver = due.getApprovedBy();
                try {
                    AuditLog.asWorker("change window", () -> people.runAs(approver,
                            () -> pushApproved(due.getId(), approver, true)));
                } catch (RuleViolation | AccessDeniedException e) {
                    transaction.executeWithoutResult(status -> changeSets.findByIdForUpdate(due.getId())
                            .filter(cs -> cs.getStatus() == ChangeSetStatus.APPROVED).ifPresent(cs -> {
                                cs.window(cs.getWindowStart(), cs.getWindowEnd(), false);
                                audit.record(People.SYSTEM, "PUSH_REFUSED", "change_set", cs.getId(),
                                        "Not pushed in its change window for " + approver + ": " + e.getMessage()
                                        + "; a person may push it while the window is open", null);
                            }));
                }
            }
        }
    }

    /**
     * Pushes an approved change set: the one way the UI and the API start a push. Claims it for this node (one
     * push per fabric at a time), then runs the push as a job on the application's task executor; with
     * {@code waitForResult} answers once it is verified, otherwise at once with the claimed change set.
     */
    public ChangeSet pushApproved(long id, String user, boolean waitForResult) {
        ChangeSet claimed = transaction.execute(status -> claim(id, user));
        CompletableFuture<ChangeSet> job;
        try {
            String worker = AuditLog.currentWorker();
            job = CompletableFuture.supplyAsync(() -> worker == null ? push(id, user)
                    : AuditLog.asWorker(worker, () -> push(id, user)), executor::execute);
        } catch (RejectedExecutionException e) {
            return record(claimed, service.stored(claimed), List.of(), user, cs -> cs.retryable("The server is too busy to "
                    + "start the push now; nothing was sent. Push it again later."), "PUSH_BUSY", "push not started");
        }
        return waitForResult ? job.join() : claimed;
    }

    /**
     * Claims an approved change set for pushing. One push per fabric at a time: the fabric row is locked while
     * claiming, and a fabric with a push under way refuses a second one.
     */
    @Transactional
    public ChangeSet startPush(long id, String user) {
        return claim(id, user);
    }

    private ChangeSet claim(long id, String user) {
        ChangeSet changeSet = changeSets.findByIdForUpdate(id).orElseThrow(() -> new NotFoundException("Change set", id));
        Fabric fabric = fabrics.get(changeSet.getFabricId());
        access.require(Role.OPERATOR, fabric.getId(), fabric.getName(), "push to");
        // one claim per fabric at a time, held to the end of the transaction
        jdbc.query("select pg_advisory_xact_lock(hashtext('vfzone.push-claim'), ?)", rs -> {
        }, changeSet.getFabricId().intValue());
        if (changeSet.getStatus() != ChangeSetStatus.APPROVED) {
            throw RuleViolation.conflict(null, "Change set " + id + " is " + changeSet.getStatus()
                    + "; only an approved change set can be pushed");
        }
        if (!changeSet.inWindow(clock.instant())) {
            throw RuleViolation.conflict(null, "Change set " + id + " may be pushed only in its change window, "
                    + ChangeSetService.WINDOW_TIME.format(changeSet.getWindowStart()) + " to "
                    + ChangeSetService.WINDOW_TIME.format(changeSet.getWindowEnd()) + " UTC");
        }
        List<ChangeSet> pushing = changeSets.findByFabricIdAndStatusIn(changeSet.getFabricId(),
                List.of(ChangeSetStatus.PUSHING));
        if (!pushing.isEmpty()) {
            ChangeSet other = pushing.get(0);
            throw RuleViolation.conflict(null, "Change set " + other.getId() + " is being pushed to fabric "
                    + fabric.getName() + (node.isAlive(other.getPushNode()) ? "; try again when it has "
                    + "finished" : " by a node that has stopped; it is recovered by reading the fabric back within a "
                    + "minute, or an admin can resolve it now"));
        }
        // a fabric that cannot be reached as configured (say its URL changed after approval, which drops the
        // password) refuses here, before anything is claimed: the change set stays approved
        connector.driver(fabric);
        changeSet.startPush(user, node.id(), clock.instant());
        audit.record(user, "PUSH", "change_set", id, "Started pushing change set " + id + " to fabric "
                + fabric.getName(), null);
        return changeSet;
    }

    /** Change sets left PUSHING by a node that is gone. */
    @Transactional(readOnly = true)
    public List<ChangeSet> orphanedPushes() {
        return changeSets.findByStatusOrderById(ChangeSetStatus.PUSHING).stream()
                .filter(cs -> !node.isAlive(cs.getPushNode())).toList();
    }

    /**
     * Ends a change set left PUSHING by reading the fabric back, never by guessing: DONE/COMMITTED when the fabric
     * holds the plan, FAILED/ROLLED_BACK when it is exactly as planned against, FAILED/UNKNOWN otherwise. Allowed
     * when the node running the push is gone, or (for an admin) when the push has run longer than
     * {@code vfzone.push.stuck-after}. A fabric that cannot be read leaves the change set as it is.
     *
     * @param recovery true when the application recovers a dead node's push, false for an admin's request
     */
    public ChangeSet resolveByReadBack(long id, String user, boolean recovery) {
        ChangeSet changeSet = service.get(id);
        Fabric fabric = fabrics.get(changeSet.getFabricId());
        if (!recovery) {
            access.require(Role.ADMIN, fabric.getId(), fabric.getName(), "resolve pushes on");
        }
        if (changeSet.getStatus() != ChangeSetStatus.PUSHING) {
            throw RuleViolation.conflict(null, "Change set " + id + " is " + changeSet.getStatus()
                    + "; only a change set stuck while pushing can be resolved");
        }
        boolean ownerGone = !node.isAlive(changeSet.getPushNode());
        boolean overdue = changeSet.getPushStartedAt() == null
                || changeSet.getPushStartedAt().plus(stuckAfter).isBefore(clock.instant());
        if (!ownerGone && (recovery || !overdue)) {
            throw RuleViolation.conflict(null, "Change set " + id + " is still being pushed by a running node; "
                    + "it can be resolved once that node stops or after " + stuckAfter.toMinutes() + " minutes");
        }
        StoredPlan stored = service.stored(changeSet);
        FabricDriver driver = connector.driver(fabric);
        ZoningDatabase after;
        try {
            driver.releaseAbandonedSession();
            after = driver.read();
        } catch (FabricException e) {
            throw RuleViolation.conflict(null, "Cannot read fabric " + fabric.getName() + " back (" + e.getMessage()
                    + "); change set " + id + " stays PUSHING until the fabric can be read");
        }
        String why = recovery ? "Recovered after node loss" : "Resolved by " + user + " after a read-back";
        List<String> problems = ZonePlanner.verify(stored.plan(), after);
        ChangeSetStatus status;
        ChangeSet.Outcome outcome;
        String message;
        if (problems.isEmpty()) {
            status = ChangeSetStatus.DONE;
            outcome = ChangeSet.Outcome.COMMITTED;
            message = why + ": the fabric holds the planned zones.";
        } else if (after.stateToken().equals(changeSet.getStateToken())) {
            status = ChangeSetStatus.FAILED;
            outcome = ChangeSet.Outcome.ROLLED_BACK;
            message = why + ": the fabric is exactly as it was planned against; nothing of the change is on it.";
        } else {
            status = ChangeSetStatus.FAILED;
            outcome = ChangeSet.Outcome.UNKNOWN;
            message = why + ": the fabric differs from both the old and the planned state: "
                    + String.join("; ", problems);
        }
        return transaction.execute(tx -> {
            ChangeSet fresh = changeSets.findByIdForUpdate(id).orElseThrow();
            if (fresh.getStatus() != ChangeSetStatus.PUSHING) {
                return fresh;
            }
            fresh.finish(status, outcome, message, clock.instant());
            if (status == ChangeSetStatus.DONE) {
                recordOwnership(fabric.getId(), stored.plan(), stored.undoOf() != null);
            }
            audit.record(user, recovery ? "RECOVER" : "RESOLVE", "change_set", id, message, null);
            events.publishEvent(new ZoningEvent(ZoningEvent.Kind.PUSH_RECOVERED, id, fabric.getId(), fabric.getName(),
                    user, "Change set " + id + " on " + fabric.getName() + " ended as " + status + " by reading the"
                    + " fabric back", message));
            return fresh;
        });
    }

    /** Pushes a claimed change set, verifies it by reading back, and records how it ended. */
    public ChangeSet push(long id, String user) {
        ChangeSet changeSet = service.get(id);
        if (changeSet.getStatus() != ChangeSetStatus.PUSHING) {
            throw RuleViolation.conflict(null, "Change set " + id + " has not been claimed for pushing");
        }
        Fabric fabric = fabrics.get(changeSet.getFabricId());
        StoredPlan stored;
        FabricDriver driver;
        try {
            stored = service.stored(changeSet);
            driver = connector.driver(fabric);
        } catch (RuntimeException e) {
            // nothing was sent yet: the outcome is known, and the fabric is free for the next push at once
            log.warn("Push of change set {} to fabric {} could not start: {}", id, fabric.getName(), e.getMessage());
            String message = "The push could not start: " + e.getMessage() + ". Nothing was written to fabric "
                    + fabric.getName() + ".";
            return record(changeSet, null, List.of(), user, cs -> cs.finish(ChangeSetStatus.FAILED,
                    ChangeSet.Outcome.NOTHING_WRITTEN, message, clock.instant()), "PUSH_FAILED", message);
        }
        try {
            keepQuietly(changeSet, ZoningHistory.Phase.BEFORE, driver.read());
        } catch (FabricException e) {
            String message = "The fabric could not be read to keep its zoning before the push (" + e.getMessage()
                    + "). Nothing was written to fabric " + fabric.getName() + ".";
            return record(changeSet, stored, List.of(), user, cs -> cs.finish(ChangeSetStatus.FAILED,
                    ChangeSet.Outcome.NOTHING_WRITTEN, message, clock.instant()), "PUSH_FAILED", message);
        }
        try {
            PushReport report = driver.push(stored.plan().change());
            return verifyAfter(changeSet, stored, driver, report.log(), null, user);
        } catch (FabricException e) {
            log.warn("Push of change set {} to fabric {} failed: {} ({})", id, fabric.getName(), e.getMessage(),
                    e.kind());
            if (e.kind() == FabricException.Kind.BUSY) {
                return record(changeSet, stored, e.log(), user, cs -> cs.retryable(e.getMessage()
                        + " The change set stays approved; push it again later."), "PUSH_BUSY", e.getMessage());
            }
            if (e.kind() == FabricException.Kind.STALE) {
                return record(changeSet, stored, e.log(), user, cs -> cs.finish(ChangeSetStatus.STALE,
                        ChangeSet.Outcome.NOTHING_WRITTEN, e.getMessage() + ". Nothing was written; plan the fabric again.",
                        clock.instant()), "PUSH_STALE", e.getMessage());
            }
            return verifyAfter(changeSet, stored, driver, e.log(), e, user);
        } catch (RuntimeException e) {
            log.error("Push of change set {} failed unexpectedly", id, e);
            return record(changeSet, stored, List.of(), user, cs -> cs.finish(ChangeSetStatus.FAILED,
                    ChangeSet.Outcome.UNKNOWN, "Unexpected error: " + e.getMessage() + ". Read the fabric to check.",
                    clock.instant()), "PUSH_FAILED", e.getMessage());
        }
    }

    private ChangeSet verifyAfter(ChangeSet changeSet, StoredPlan stored, FabricDriver driver, List<String> switchLog,
                                  FabricException failure, String user) {
        ZoningDatabase after;
        try {
            after = driver.read();
        } catch (FabricException e) {
            String message = (failure == null ? "Pushed, but " : "Push failed (" + failure.getMessage() + ") and ")
                    + "the fabric could not be read back (" + e.getMessage() + "). Read it again to check.";
            return record(changeSet, stored, switchLog, user, cs -> cs.finish(ChangeSetStatus.FAILED,
                    ChangeSet.Outcome.UNKNOWN, message, clock.instant()), "VERIFY_FAILED", message);
        }
        ChangeSet judged = judge(changeSet, stored, driver, switchLog, failure, user, after);
        keepQuietly(judged, ZoningHistory.Phase.AFTER, after);
        return judged;
    }

    /** Keeps a read of the fabric around a push; a failure to store it is logged, never turned into a push outcome. */
    private void keepQuietly(ChangeSet changeSet, ZoningHistory.Phase phase, ZoningDatabase zoning) {
        try {
            history.keep(changeSet.getFabricId(), changeSet.getId(), phase, zoning);
        } catch (RuntimeException e) {
            log.warn("Could not keep the zoning of fabric {} {} change set {}: {}", fabricName(changeSet),
                    phase.name().toLowerCase(Locale.ROOT), changeSet.getId(), e.getMessage());
        }
    }

    /** What the read-back says the push did: verified, rolled back, or unknown. */
    private ChangeSet judge(ChangeSet changeSet, StoredPlan stored, FabricDriver driver, List<String> switchLog,
                            FabricException failure, String user, ZoningDatabase after) {
        List<String> problems = ZonePlanner.verify(stored.plan(), after);
        if (problems.isEmpty()) {
            String message = failure == null ? "Pushed and verified: the effective configuration holds the planned zones."
                    : "The switch reported an error (" + failure.getMessage() + "), but the read-back shows the change "
                    + "fully committed and verified.";
            ChangeSet done = record(changeSet, stored, switchLog, user, cs -> {
                cs.finish(ChangeSetStatus.DONE, ChangeSet.Outcome.COMMITTED, message, clock.instant());
                recordOwnership(cs.getFabricId(), stored.plan(), stored.undoOf() != null);
            }, "VERIFIED", message);
            if (done.getStatus() == ChangeSetStatus.DONE) {
                service.replanQueuedAfterPush(done, driver, after, user);
            }
            return done;
        }
        // aliases the push created and did not take back: the zones may be as before, the fabric is not
        List<String> leftAliases = stored.plan().change().addAliases().stream()
                .filter(alias -> after.aliases().containsKey(alias.name())).map(Alias::name)
                .toList();
        boolean unchanged = after.stateToken().equals(changeSet.getStateToken()) && leftAliases.isEmpty();
        if (failure != null && !leftAliases.isEmpty()) {
            problems = new ArrayList<>(problems);
            problems.add("the alias(es) " + String.join(", ", leftAliases) + " this push created are still on the "
                    + "switch");
        }
        String message = (failure == null ? "Pushed, but verification found: " + String.join("; ", problems)
                : "Push failed: " + failure.getMessage() + (unchanged
                ? ". The fabric is unchanged" + (failure.transactionClosed() ? " and no transaction is left open."
                : "; the switch may still hold an open transaction until it times out.")
                : ". The fabric differs from both the old and the planned state: " + String.join("; ", problems)));
        ChangeSet.Outcome outcome = unchanged ? ChangeSet.Outcome.ROLLED_BACK : ChangeSet.Outcome.UNKNOWN;
        return record(changeSet, stored, switchLog, user, cs -> cs.finish(ChangeSetStatus.FAILED, outcome, message,
                clock.instant()), "PUSH_FAILED", message);
    }

    private ChangeSet record(ChangeSet changeSet, StoredPlan stored, List<String> switchLog, String user,
                             Consumer<ChangeSet> update, String action, String message) {
        return transaction.execute(status -> {
            ChangeSet fresh = changeSets.findByIdForUpdate(changeSet.getId()).orElseThrow();
            if (fresh.getStatus() != ChangeSetStatus.PUSHING) {
                // resolved by a read-back while this push was still running: that result stands
                audit.record(user, action + "_LATE", "change_set", fresh.getId(), "A push result arrived after the "
                        + "change set was resolved; not applied: " + message, String.join("\n", switchLog));
                return fresh;
            }
            update.accept(fresh);
            liveZoning.forget(fresh.getFabricId()); // the switch changed (or may have): read it again
            audit.record(user, action, "change_set", fresh.getId(), message, String.join("\n", switchLog));
            service.outcomeEvent(fresh, user, message).ifPresent(events::publishEvent);
            return fresh;
        });
    }

    /** Records what vfzone now owns on the fabric, zone members resolved to WWNs. */
    private void recordOwnership(long fabricId, ZonePlanner.Plan plan, boolean undo) {
        if (plan.effectiveScope().wholeFabric() && !undo) {
            owned.deleteByFabricId(fabricId);
        } else {
            // a scoped plan speaks only for its zones (and the aliases it adds or removes): the rest stays owned
            Set<String> zones = new HashSet<>(plan.change().removeZones());
            plan.desired().forEach(zone -> zones.add(zone.zone().name()));
            Set<String> aliases = new HashSet<>(plan.change().removeAliases());
            aliases.addAll(plan.desiredAliases().keySet());
            jdbc.update("delete from owned_zone_object where fabric_id = ? and ((kind = 'ZONE' and name = any (?))"
                    + " or (kind = 'ALIAS' and name = any (?)))", fabricId, zones.toArray(String[]::new),
                    aliases.toArray(String[]::new));
        }
        ZoningDatabase aliases = new ZoningDatabase("", null, new TreeMap<>(), new TreeMap<>(),
                new TreeMap<>(plan.desiredAliases()), new TreeMap<>());
        for (ZonePlanner.DesiredZone zone : plan.desired()) {
            owned.save(new OwnedZoneObject(fabricId, OwnedZoneObject.Kind.ZONE, zone.zone().name(), zone.vmId(),
                    zone.arrayId(), String.join(",", aliases.resolve(zone.zone())),
                    OwnedZoneObject.memberNames(zone.zone())));
        }
        plan.desiredAliases().values().forEach(alias -> owned.save(new OwnedZoneObject(fabricId,
                OwnedZoneObject.Kind.ALIAS, alias.name(), null, null, String.join(",", alias.wwns()))));
    }
}
