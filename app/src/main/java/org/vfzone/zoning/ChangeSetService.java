package org.vfzone.zoning;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.JpaSort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.audit.AuditLog;
import org.vfzone.connection.FabricConnector;
import org.vfzone.fabric.FabricDriver;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.ZoningChange;
import org.vfzone.fabric.ZoneDatabaseSize;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.fabric.cisco.CiscoMdsNxapiDriver;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.logins.LoginQueries;
import org.vfzone.security.FabricAccess;
import org.vfzone.security.People;
import org.vfzone.security.Role;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.Paging;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.Texts;
import org.vfzone.system.Words;
import org.vfzone.zoning.internal.ChangeSetRepository;

/**
 * The reviewed zoning workflow up to the push: <b>plan</b> (desired state against the switch's live database, again
 * in place after another push, or the undo of a pushed one), <b>approve</b> (by an APPROVER who did not plan it, or
 * by a standard change; in a change window if asked), <b>cancel</b>, and the change set lists. The <b>push</b> and
 * its <b>verification</b> are {@link ChangeSetPush}'s. Every step is in the audit trail.
 */
@Service
public class ChangeSetService {

    private static final Logger log = LoggerFactory.getLogger(ChangeSetService.class);

    /**
     * SQL: the change set {@code c} ended after the last successful push on its fabric, so nobody has moved past it
     * yet; what the to-do list counts as stale, failed or unknown.
     */
    static final String SINCE_LAST_PUSH = "not exists (select 1 from change_set d where d.fabric_id = c.fabric_id "
            + "and d.status = 'DONE' and d.finished_at > c.finished_at)";

    private final ChangeSetRepository changeSets;
    private final FabricService fabrics;
    private final FabricConnector connector;
    private final AuditLog audit;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final LoginQueries logins;
    private final People people;
    private final InventoryDirectory inventory;
    private final ApplicationEventPublisher events;

    ChangeSetService(ChangeSetRepository changeSets, FabricService fabrics,
                     FabricConnector connector, AuditLog audit, JdbcTemplate jdbc, TransactionTemplate transaction,
                     Clock clock, LoginQueries logins,
                     ZoningProperties properties, People people,
                     InventoryDirectory inventory,
                     ApplicationEventPublisher events,
                     FabricAccess access, StandardChanges standardChanges, ZoningHistory history) {
        this.history = history;
        this.reasonRequired = properties.changes().reasonRequired();
        this.standardChanges = standardChanges;
        this.access = access;
        this.events = events;
        this.inventory = inventory;
        this.people = people;
        this.logins = logins;
        this.changeSets = changeSets;
        this.fabrics = fabrics;
        this.connector = connector;
        this.audit = audit;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
    }

    private final FabricAccess access;
    private final StandardChanges standardChanges;

    /** The inventory's fabric of the change set. */
    public Fabric fabricOf(ChangeSet changeSet) {
        return fabrics.get(changeSet.getFabricId());
    }

    /** Every fabric's name by id, for pages listing change sets. */
    public Map<Long, String> fabricNames() {
        return inventory.fabricNames();
    }

    /** The name of the change set's fabric, as the inventory has it now. */
    public String fabricName(ChangeSet changeSet) {
        return inventory.fabricName(changeSet.getFabricId());
    }

    @Transactional(readOnly = true)
    public ChangeSet get(long id) {
        return changeSets.findById(id).orElseThrow(() -> new NotFoundException("Change set", id));
    }

    /** Of these change sets, the ones cancelled. */
    @Transactional(readOnly = true)
    public Set<Long> cancelled(Collection<Long> ids) {
        return ids.isEmpty() ? Set.of() : Set.copyOf(jdbc.queryForList(
                "select id from change_set where id = any (?) and status = 'CANCELLED'", Long.class,
                (Object) ids.toArray(Long[]::new)));
    }

    @Transactional(readOnly = true)
    public Page<ChangeSet> list(Pageable pageable) {
        return changeSets.findAllByOrderByCreatedAtDescIdDesc(pageable);
    }

    /** Change sets newest first, of one status and/or one fabric when given. */
    @Transactional(readOnly = true)
    /** Change set lists sort by id, fabric, status, created, createdBy ({@code field,asc|desc}); newest first. */
    public static Sort sort(String spec) {
        return Paging.sort(spec, Map.of(
                "id", Paging.Column.plain("id"),
                "fabric", Paging.Column.plain("fabricId"),
                "status", Paging.Column.plain("status"),
                "created", Paging.Column.plain("createdAt"),
                "createdBy", Paging.Column.text("createdBy")),
                Sort.by(Sort.Direction.DESC,
                        "createdAt", "id"));
    }

    public Page<ChangeSet> search(ChangeSetStatus status, Long fabricId, Pageable pageable) {
        return changeSets.search(status, fabricId, null, false, pageable);
    }

    /**
     * As {@link #search(ChangeSetStatus, Long, Pageable)}, also by outcome, and with {@code attention} only those that
     * ended after their fabric's last successful push (the to-do list's stale, failed and unknown).
     */
    @Transactional(readOnly = true)
    public Page<ChangeSet> search(ChangeSetStatus status, Long fabricId, ChangeSet.Outcome outcome, boolean attention,
                                  Pageable pageable) {
        return changeSets.search(status, fabricId, outcome, attention, byFabricName(pageable));
    }

    /**
     * A change set holds its fabric by id; "by fabric" means by the fabric's name, which the inventory knows: the
     * order on {@code fabricId} becomes one on each fabric's rank in name order (a handful of fabrics).
     */
    private Pageable byFabricName(Pageable pageable) {
        Sort.Order byFabric = pageable.getSort().getOrderFor("fabricId");
        if (byFabric == null) {
            return pageable;
        }
        StringBuilder rank = new StringBuilder("(case c.fabricId");
        int position = 0;
        for (Long id : inventory.fabricNames().keySet()) {
            rank.append(" when ").append(id).append(" then ").append(position++);
        }
        rank.append(" else ").append(position).append(" end)"); // parenthesised: used as written, not as a path
        Sort sort = Sort.unsorted();
        for (Sort.Order order : pageable.getSort()) {
            sort = sort.and(order == byFabric ? JpaSort.unsafe(order.getDirection(), rank.toString())
                    : Sort.by(order));
        }
        return PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), sort);
    }

    /**
     * Planned change sets this user may approve: on fabrics where they hold APPROVER, everyone's but their own (four
     * eyes), oldest first.
     */
    @Transactional(readOnly = true)
    public List<ChangeSet> awaitingApprovalBy(String user) {
        return changeSets.findByStatusOrderById(ChangeSetStatus.PLANNED).stream()
                .filter(changeSet -> !isPlannedBy(changeSet, user)
                        && access.allows(Role.APPROVER, changeSet.getFabricId()))
                .toList();
    }

    /** One page of {@link #awaitingApprovalBy(String)}, in the page's order. */
    @Transactional(readOnly = true)
    public Page<ChangeSet> awaitingApprovalBy(String user, Pageable pageable) {
        List<ChangeSet> all = new ArrayList<>(awaitingApprovalBy(user));
        Comparator<ChangeSet> order = Comparator.comparing(ChangeSet::getCreatedAt)
                .thenComparing(ChangeSet::getId);
        all.sort(pageable.getSort().getOrderFor("createdAt") != null
                && pageable.getSort().getOrderFor("createdAt").isAscending() ? order : order.reversed());
        int from = (int) Math.min(pageable.getOffset(), all.size());
        int to = Math.min(from + pageable.getPageSize(), all.size());
        return new PageImpl<>(all.subList(from, to), pageable, all.size());
    }

    /** The change sets planned together with this one (one per fabric), itself included, by id. */
    @Transactional(readOnly = true)
    public List<ChangeSet> batchOf(ChangeSet changeSet) {
        return changeSet.getPlanBatch() == null ? List.of(changeSet)
                : changeSets.findByPlanBatchOrderById(changeSet.getPlanBatch());
    }

    private final boolean reasonRequired;
    private final ZoningHistory history;

    /** Refuses a plan without a reason where the setting {@code vfzone.changes.reason-required} asks for one. */
    private void requireReason(ChangeReason why) {
        if (reasonRequired && !why.given()) {
            throw RuleViolation.invalid("reason", "Give a reason for the change: this installation requires one");
        }
    }

    public boolean reasonRequired() {
        return reasonRequired;
    }

    /** One line for lists: "2 zones to add, 0 to change, 1 to remove · only VM(s) web01". */
    public String summaryOf(ChangeSet changeSet) {
        StoredPlan stored = stored(changeSet);
        return summary(stored.plan()) + " · " + scopeOf(stored);
    }

    public StoredPlan stored(ChangeSet changeSet) {
        return changeSet.getPlan();
    }

    /**
     * Reads the fabric and plans what brings it to the desired state. Empty when the fabric already matches.
     * Reading the switch happens outside any database transaction.
     */
    public Optional<ChangeSet> plan(long fabricId, String user) {
        return plan(fabricId, PlanScope.WHOLE_FABRIC, user);
    }

    /** What a plan covers: the whole fabric (both sets empty), or only these VMs' and arrays' zones. */
    public record PlanScope(Set<Long> vmIds, Set<Long> arrayIds) {

        public static final PlanScope WHOLE_FABRIC = new PlanScope(Set.of(), Set.of());

        public PlanScope {
            vmIds = vmIds == null ? Set.of() : Set.copyOf(vmIds);
            arrayIds = arrayIds == null ? Set.of() : Set.copyOf(arrayIds);
        }

        public boolean wholeFabric() {
            return vmIds.isEmpty() && arrayIds.isEmpty();
        }
    }

    /**
     * Reads the fabric, compares it with the grants in scope and stores the difference as a change set to
     * review; empty when the fabric already has what the grants ask for.
     */
    public Optional<ChangeSet> plan(long fabricId, PlanScope scope, String user) {
        return plan(fabricId, scope, user, ChangeReason.NONE, null);
    }

    /**
     * Plans as {@link #plan(long, PlanScope, String)} with the reason for the change; {@code batch} groups the change
     * sets one plan makes on several fabrics (approved together), null for a change set on its own.
     */
    public Optional<ChangeSet> plan(long fabricId, PlanScope scope, String user, ChangeReason why,
                                    UUID batch) {
        requireReason(why);
        Fabric fabric = fabrics.get(fabricId);
        access.require(Role.OPERATOR, fabricId, fabric.getName(), "plan zoning on");
        FabricDriver driver = connector.driver(fabric);
        ZoningDatabase live = read(driver, fabric);
        Optional<StoredPlan> computed = computePlan(fabric, driver, live, scope);
        if (computed.isEmpty()) {
            return Optional.empty();
        }
        StoredPlan stored = computed.get();
        ZonePlanner.Plan plan = stored.plan();
        return Optional.of(storeNew(fabric, live, stored, user, why, batch,
                summary(plan) + " on fabric " + fabric.getName() + scopeNote(scope), summary(plan) + scopeNote(scope),
                true));
    }

    /**
     * Stores a new change set with its reason, audits it ("Planned " + {@code auditWhat}) and tells its approvers
     * ("planned by …: " + {@code eventWhat}), in one transaction; with {@code standardMayApprove} an active standard
     * change that covers it approves it instead.
     */
    private ChangeSet storeNew(Fabric fabric, ZoningDatabase live, StoredPlan stored, String user, ChangeReason why,
                               UUID batch, String auditWhat, String eventWhat, boolean standardMayApprove) {
        ZonePlanner.Plan plan = stored.plan();
        return transaction.execute(status -> {
            ChangeSet changeSet = changeSets.save(new ChangeSet(fabric.getId(), user, people.idOf(user).orElse(null),
                    clock.instant(), live.stateToken(), plan.change().config(), stored));
            changeSet.describe(why, batch);
            audit.record(user, "PLAN", "change_set", changeSet.getId(), "Planned " + auditWhat + why.note(),
                    String.join("\n", stored.preview()));
            StandardChanges.Coverage coverage = standardMayApprove ? standardChanges.coverage(fabric, plan) : null;
            if (coverage != null && coverage.covered()) {
                approveAsStandard(changeSet, coverage.policy(), summary(plan));
            } else {
                events.publishEvent(new ZoningEvent(ZoningEvent.Kind.CHANGE_PLANNED, changeSet.getId(),
                        fabric.getId(), fabric.getName(), user, "Change set " + changeSet.getId() + " on "
                        + fabric.getName() + " planned by " + user + ": " + eventWhat + why.note(),
                        String.join("\n", plan.warnings())));
            }
            return changeSet;
        });
    }

    /** The difference between the grants in scope and what the fabric holds, as a plan to store; empty if none. */
    private Optional<StoredPlan> computePlan(Fabric fabric, FabricDriver driver, ZoningDatabase live, PlanScope scope) {
        long fabricId = fabric.getId();
        List<ZonePlanner.Grant> grants = grants(fabricId);
        Map<String, Long> zoneOwners = new LinkedHashMap<>();
        jdbc.query("select name, vm_id from owned_zone_object where fabric_id = ? and kind = 'ZONE'",
                rs -> {
                    zoneOwners.put(rs.getString(1), rs.getObject(2) == null ? null : rs.getLong(2));
                }, fabricId);
        ZonePlanner.Settings base = settings(fabric, driver);
        ZonePlanner.Settings settings = new ZonePlanner.Settings(base.policy(), base.template(), base.prefix(),
                base.defaultConfig(), base.useAliases(), base.zoneHostHbas(), Set.copyOf(zoneOwners.keySet()),
                zoneOwners, base.aliasNamespace());
        ZonePlanner.Scope plannerScope = ZonePlanner.Scope.WHOLE_FABRIC;
        if (!scope.wholeFabric()) {
            Set<String> ownedZones = Set.copyOf(jdbc.queryForList("""
                    select name from owned_zone_object
                     where fabric_id = ? and kind = 'ZONE' and (vm_id = any (?) or array_id = any (?))
                    """, String.class, fabricId, scope.vmIds().toArray(Long[]::new),
                    scope.arrayIds().toArray(Long[]::new)));
            plannerScope = new ZonePlanner.Scope(scope.vmIds(), scope.arrayIds(), ownedZones);
        }
        ZonePlanner.Plan computed = ZonePlanner.plan(settings, grants, live, plannerScope);
        if (computed.change().isEmpty()) {
            return Optional.empty();
        }
        ZonePlanner.Scope inScope = plannerScope;
        ZonePlanner.Plan plan = withLoginWarnings(computed, grants.stream()
                .filter(g -> inScope.wholeFabric() || inScope.vmIds().contains(g.vmId())
                        || inScope.arrayIds().contains(g.arrayId())).toList());
        return Optional.of(new StoredPlan(plan, driver.preview(plan.change(), live),
                driver.cliScript(plan.change(), live), List.of()).named(inventory.vmNames(scope.vmIds()),
                inventory.arrayNames(scope.arrayIds())).using(databaseUse(fabric.getName(), plan, live)));
    }

    /**
     * The zone database's use before the change (as the switch reports it) and after it (vfzone's estimate); a
     * change that would not fit is refused here, with the figures, rather than by the switch at the push.
     */
    private static StoredPlan.DatabaseUse databaseUse(String fabricName, ZonePlanner.Plan plan, ZoningDatabase live) {
        ZoningDatabase.Capacity capacity = live.capacity();
        if (capacity == null) {
            return null;
        }
        long after = capacity.usedBytes() + ZoneDatabaseSize.delta(plan.change(), live);
        StoredPlan.DatabaseUse use = new StoredPlan.DatabaseUse(capacity.usedBytes(), capacity.maxBytes(), after);
        if (after > capacity.maxBytes() && after > capacity.usedBytes()) {
            throw RuleViolation.conflict(null, String.format(Locale.ROOT, "This change would not fit in the zone "
                    + "database of fabric %s: %,d of %,d bytes are in use (%.1f %%) and it needs about %,d more. "
                    + "Remove unused zones and aliases first (Zone hygiene lists them).", fabricName,
                    capacity.usedBytes(), capacity.maxBytes(), capacity.percent(), after - capacity.usedBytes()));
        }
        return use;
    }

    /**
     * After a push: the change sets still queued on the fabric (planned or approved against the state before it) are
     * planned again in place with their own scope against what the fabric now holds. An approval stands only when the
     * requests are exactly the approved ones; otherwise the change set is back to PLANNED with a note. One whose work
     * the push already did is cancelled, saying so.
     */
    void replanQueuedAfterPush(ChangeSet pushed, FabricDriver driver, ZoningDatabase after, String user) {
        Fabric fabric = fabrics.get(pushed.getFabricId());
        for (ChangeSet queued : changeSets.findByFabricIdAndStatusIn(fabric.getId(),
                List.of(ChangeSetStatus.PLANNED, ChangeSetStatus.APPROVED))) {
            if (queued.getId().equals(pushed.getId()) || queued.getStateToken().equals(after.stateToken())) {
                continue;
            }
            try {
                StoredPlan old = stored(queued);
                ZonePlanner.Scope scope = old.plan().effectiveScope();
                Optional<StoredPlan> fresh = old.undoOf() != null ? computeUndo(get(old.undoOf()), driver, after)
                        : computePlan(fabric, driver, after, new PlanScope(scope.vmIds(), scope.arrayIds()));
                transaction.executeWithoutResult(status -> changeSets.findByIdForUpdate(queued.getId())
                        .filter(cs -> cs.getStatus() == ChangeSetStatus.PLANNED
                                || cs.getStatus() == ChangeSetStatus.APPROVED)
                        .ifPresent(cs -> replanInPlace(cs, pushed, old, fresh, after, user)));
            } catch (RuntimeException e) {
                // it stays as it is: its own push finds it stale and says so
                log.warn("Change set {} could not be planned again after change set {} was pushed: {}", queued.getId(),
                        pushed.getId(), e.getMessage());
            }
        }
    }

    private void replanInPlace(ChangeSet cs, ChangeSet pushed, StoredPlan old, Optional<StoredPlan> fresh,
                               ZoningDatabase after, String user) {
        if (fresh.isEmpty()) {
            String note = "Cancelled: change set " + pushed.getId() + " was pushed and the fabric already holds what this "
                    + "one would change.";
            cs.finish(ChangeSetStatus.CANCELLED, ChangeSet.Outcome.NOTHING_WRITTEN, note, clock.instant());
            audit.record(user, "REPLAN_IN_PLACE", "change_set", cs.getId(), note, null);
            return;
        }
        boolean same = withoutToken(old.plan().change()).equals(withoutToken(fresh.get().plan().change()));
        boolean wasApproved = cs.getStatus() == ChangeSetStatus.APPROVED;
        String note = "Planned again in place after change set " + pushed.getId() + " was pushed: "
                + (same ? "the requests are the same" + (wasApproved ? "; the approval stands." : ".")
                : "the requests changed" + (wasApproved ? ", so it needs approving again." : "."));
        cs.replannedInPlace(after.stateToken(), fresh.get().plan().change().config(),
                fresh.get(), same, note);
        audit.record(user, "REPLAN_IN_PLACE", "change_set", cs.getId(), note,
                String.join("\n", fresh.get().preview()));
        if (!same) {
            // a standard change may cover the new requests as it covered the old: it approves them, no person
            StandardChanges.Coverage coverage = standardChanges.coverage(fabrics.get(cs.getFabricId()), fresh.get().plan());
            if (coverage.covered()) {
                approveAsStandard(cs, coverage.policy(), summary(fresh.get().plan()));
                return;
            }
        }
        if (wasApproved && !same) {
            String fabricName = fabricName(cs);
            events.publishEvent(new ZoningEvent(ZoningEvent.Kind.CHANGE_PLANNED, cs.getId(), cs.getFabricId(),
                    fabricName, user, "Change set " + cs.getId() + " on " + fabricName
                    + " was planned again after change set " + pushed.getId() + " and needs approving again",
                    String.join("\n", fresh.get().plan().warnings())));
        }
    }

    /** A change as requested, whatever state token it is checked against. */
    private static ZoningChange withoutToken(ZoningChange change) {
        return new ZoningChange(change.config(), "", change.addAliases(), change.removeAliases(),
                change.addZones(), change.replaceZones(), change.removeZones());
    }

    /** Approves a planned change set as a standard change, audited with the policy and its approver. */
    private void approveAsStandard(ChangeSet changeSet, StandardChanges.Policy policy, String summary) {
        Fabric fabric = fabrics.get(changeSet.getFabricId());
        changeSet.approveByPolicy(policy.id(), policy.name(), clock.instant());
        audit.record("standard:" + policy.name(), "APPROVE", "change_set", changeSet.getId(), "Approved change "
                + "set " + changeSet.getId() + " for fabric " + fabric.getName() + " as standard change "
                + policy.name() + " (approved by " + policy.approvedBy() + ")", null);
        events.publishEvent(new ZoningEvent(ZoningEvent.Kind.CHANGE_APPROVED, changeSet.getId(), fabric.getId(),
                fabric.getName(), "standard:" + policy.name(), "Change set " + changeSet.getId() + " on "
                + fabric.getName() + " planned by " + changeSet.getCreatedBy() + " is approved as standard change "
                + policy.name() + ": " + summary, null));
    }

    /**
     * A standard change became active: the change sets already planned on its fabrics that it covers are approved by
     * it, in the activation's transaction (a provisioning job waiting for one continues once it commits).
     */
    @EventListener
    void on(StandardChanges.Activated activated) {
        for (ChangeSet planned : changeSets.findByStatusOrderById(ChangeSetStatus.PLANNED)) {
            if (!activated.fabricIds().contains(planned.getFabricId())) {
                continue;
            }
            ChangeSet locked = changeSets.findByIdForUpdate(planned.getId()).orElseThrow();
            if (locked.getStatus() != ChangeSetStatus.PLANNED) {
                continue;
            }
            ZonePlanner.Plan plan = stored(locked).plan();
            StandardChanges.Coverage coverage = standardChanges.coverage(fabrics.get(locked.getFabricId()), plan);
            if (coverage.covered()) {
                approveAsStandard(locked, coverage.policy(), summary(plan));
            }
        }
    }

    /** What a stored plan covers, for people: "whole fabric" or "only VM(s) web01, web02". */
    public String scopeOf(StoredPlan stored) {
        if (stored.undoOf() != null) {
            return "undo of change set " + stored.undoOf();
        }
        ZonePlanner.Scope scope = stored.plan().effectiveScope();
        if (scope.wholeFabric()) {
            return "whole fabric";
        }
        // names as planned, for what has been deleted since; the zones' own records for plans made before that
        Map<Long, String> vmsThen = new HashMap<>();
        stored.plan().desired().forEach(zone -> vmsThen.put(zone.vmId(), zone.vmName()));
        if (stored.scopeVmNames() != null) {
            vmsThen.putAll(stored.scopeVmNames());
        }
        Map<Long, String> arraysThen = new HashMap<>();
        stored.plan().desired().forEach(zone -> arraysThen.put(zone.arrayId(), zone.arrayName()));
        if (stored.scopeArrayNames() != null) {
            arraysThen.putAll(stored.scopeArrayNames());
        }
        return scopeNote(new PlanScope(scope.vmIds(), scope.arrayIds()), vmsThen, arraysThen)
                .replaceAll("^ \\((.*)\\)$", "$1");
    }

    private String scopeNote(PlanScope scope) {
        return scopeNote(scope, Map.of(), Map.of());
    }

    /** " (only VM(s) a, b (deleted))": each name as it is now, or as it was with "(deleted)" when it is gone. */
    private String scopeNote(PlanScope scope, Map<Long, String> vmsThen, Map<Long, String> arraysThen) {
        if (scope.wholeFabric()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (!scope.vmIds().isEmpty()) {
            parts.add("VM(s) " + String.join(", ", names(scope.vmIds(), inventory.vmNames(scope.vmIds()), vmsThen,
                    "VM")));
        }
        if (!scope.arrayIds().isEmpty()) {
            parts.add("array(s) " + String.join(", ", names(scope.arrayIds(),
                    inventory.arrayNames(scope.arrayIds()), arraysThen, "array")));
        }
        return " (only " + String.join(" and ", parts) + ")";
    }

    private static SortedSet<String> names(Set<Long> ids, Map<Long, String> now, Map<Long, String> then,
                                                     String kind) {
        SortedSet<String> names = new TreeSet<>();
        for (Long id : ids) {
            String current = now.get(id);
            String earlier = then.get(id);
            names.add(current != null ? current : earlier != null && !earlier.isBlank() ? earlier + " (deleted)"
                    : "a deleted " + kind + " (#" + id + ")");
        }
        return names;
    }

    /**
     * Plans every fabric a VM has a WWPN pair on, each scoped to this VM: one change set per fabric that needs a
     * change. A fabric that cannot be read is reported, not planned; the others are planned all the same.
     */
    public record FabricPlan(long fabricId, String fabricName, Long changeSetId, String problem) {
    }

    public List<FabricPlan> planVm(long vmId, String user) {
        return planVm(vmId, user, ChangeReason.NONE);
    }

    /** Plans the VM on each of its fabrics with the reason given; the change sets share one batch. */
    public List<FabricPlan> planVm(long vmId, String user, ChangeReason why) {
        requireReason(why);
        UUID batch = UUID.randomUUID();
        List<FabricPlan> results = new ArrayList<>();
        for (InventoryDirectory.InitiatorPair pair : inventory.initiatorsOfVm(vmId)) {
            try {
                Optional<ChangeSet> planned = plan(pair.fabricId(), new PlanScope(Set.of(vmId), Set.of()), user,
                        why, batch);
                results.add(new FabricPlan(pair.fabricId(), pair.fabricName(),
                        planned.map(ChangeSet::getId).orElse(null), null));
            } catch (RuleViolation e) {
                results.add(new FabricPlan(pair.fabricId(), pair.fabricName(), null, e.getMessage()));
            }
        }
        return results;
    }

    /**
     * Plans the reverse of a pushed change set as a new change set to review and approve: every zone and alias it
     * touched back as the zoning kept before its push held it, planned against the fabric as it is now. The plan
     * names later pushes that touched the same objects. Empty when the fabric already is as it was.
     */
    public Optional<ChangeSet> undo(long id, String user, ChangeReason why) {
        ChangeSet pushed = get(id);
        Fabric fabric = fabrics.get(pushed.getFabricId());
        access.require(Role.OPERATOR, fabric.getId(), fabric.getName(), "plan zoning on");
        if (pushed.getStatus() != ChangeSetStatus.DONE) {
            throw RuleViolation.conflict(null, "Change set " + id + " is " + pushed.getStatus().getLabel()
                    + "; only a pushed change set (done) can be undone");
        }
        FabricDriver driver = connector.driver(fabric);
        ZoningDatabase live = read(driver, fabric);
        Optional<StoredPlan> computed = computeUndo(pushed, driver, live);
        if (computed.isEmpty()) {
            return Optional.empty();
        }
        StoredPlan stored = computed.get();
        ChangeReason reason = why.given() ? why : ChangeReason.of("Undo of change set " + id, why.ticket());
        // an undo is always reviewed by a person: no standard change approves it
        return Optional.of(storeNew(fabric, live, stored, user, reason, null, "the undo of change set " + id + ": "
                + summary(stored.plan()) + " on fabric " + fabric.getName(), "undo of change set " + id + ", "
                + summary(stored.plan()), false));
    }

    /** The reverse of a pushed change set against {@code live}; empty when nothing needs to change. */
    private Optional<StoredPlan> computeUndo(ChangeSet pushed, FabricDriver driver, ZoningDatabase live) {
        Fabric fabric = fabrics.get(pushed.getFabricId());
        long beforeId = history.idOf(pushed.getId(), ZoningHistory.Phase.BEFORE).orElseThrow(() ->
                RuleViolation.conflict(null, "Change set " + pushed.getId() + " cannot be undone: vfzone kept no "
                        + "zoning of fabric " + fabric.getName() + " from before its push"));
        ZoningHistory.Content kept = history.content(fabric.getId(), beforeId);
        StoredPlan undone = stored(pushed);
        // zones the push added have no owner in the zoning kept before it: the pushed plan says whose they are
        Map<String, ZoningHistory.Owner> owners = new LinkedHashMap<>(kept.zoneOwners());
        undone.plan().desired().forEach(zone -> owners.putIfAbsent(zone.zone().name(),
                new ZoningHistory.Owner(zone.vmId(), zone.arrayId())));
        ZoningHistory.Content before = new ZoningHistory.Content(kept.snapshot(), kept.zoning(), kept.vfzoneZones(),
                kept.vfzoneAliases(), owners);
        Set<Long> vmIds = new HashSet<>();
        Set<Long> arrayIds = new HashSet<>();
        before.zoneOwners().values().forEach(owner -> {
            if (owner.vmId() != null) {
                vmIds.add(owner.vmId());
            }
            if (owner.arrayId() != null) {
                arrayIds.add(owner.arrayId());
            }
        });
        ZonePlanner.Plan reverse = UndoPlanner.reverse(undone.plan().change(), before, live,
                fabric.getDefaultConfigName(), inventory.vmNames(vmIds), inventory.arrayNames(arrayIds));
        if (reverse.change().isEmpty()) {
            return Optional.empty();
        }
        List<String> warnings = new ArrayList<>(reverse.warnings());
        Set<String> touched = new HashSet<>(reverse.effectiveScope().ownedZones());
        undone.plan().change().addAliases().forEach(alias -> touched.add(alias.name()));
        touched.addAll(undone.plan().change().removeAliases());
        for (ChangeSet later : changeSets.findByFabricIdAndStatusIn(fabric.getId(), List.of(ChangeSetStatus.DONE))) {
            if (later.getId() <= pushed.getId()) {
                continue;
            }
            ZoningChange change = stored(later).plan().change();
            Set<String> names = new TreeSet<>();
            change.addZones().forEach(zone -> names.add(zone.name()));
            change.replaceZones().forEach(zone -> names.add(zone.name()));
            names.addAll(change.removeZones());
            change.addAliases().forEach(alias -> names.add(alias.name()));
            names.addAll(change.removeAliases());
            names.retainAll(touched);
            if (!names.isEmpty()) {
                warnings.add("Change set " + later.getId() + ", pushed later, also changed " + String.join(", ", names)
                        + ": this undo is planned from the switch as it is now");
            }
        }
        if (!reverse.change().removeZones().isEmpty()) {
            warnings.add("The grants behind the zones this removes still stand: the next plan of this fabric or of "
                    + "their VMs adds them again. Revoke the access to keep them away.");
        }
        ZonePlanner.Plan plan = new ZonePlanner.Plan(reverse.change(), reverse.rows(), warnings, reverse.desired(),
                reverse.desiredAliases(), reverse.scope());
        return Optional.of(new StoredPlan(plan, driver.preview(plan.change(), live),
                driver.cliScript(plan.change(), live), List.of(), pushed.getId()));
    }

    /**
     * Plans a stale, failed or cancelled change set again with the scope it had (the whole fabric, its VMs, its
     * arrays): the new change set, or empty when the fabric already holds what it would change.
     */
    public Optional<ChangeSet> replan(long id, String user) {
        ChangeSet old = get(id);
        if (old.getStatus() != ChangeSetStatus.STALE && old.getStatus() != ChangeSetStatus.FAILED
                && old.getStatus() != ChangeSetStatus.CANCELLED) {
            throw RuleViolation.conflict(null, "Change set " + id + " is " + old.getStatus() + "; only a stale, "
                    + "failed or cancelled change set is planned again");
        }
        StoredPlan oldPlan = stored(old);
        ZonePlanner.Scope scope = oldPlan.plan().effectiveScope();
        Optional<ChangeSet> planned = oldPlan.undoOf() != null ? undo(oldPlan.undoOf(), user, old.reason())
                : plan(old.getFabricId(), new PlanScope(scope.vmIds(), scope.arrayIds()), user, old.reason(),
                null);
        audit.record(user, "REPLAN", "change_set", id, "Planned change set " + id + " again with its scope"
                + (planned.map(cs -> ": change set " + cs.getId()).orElse(": the fabric already matches")), null);
        return planned;
    }

    /** Whether {@code user} is the person who planned the change set, directly or through an API token of theirs. */
    public boolean isPlannedBy(ChangeSet changeSet, String user) {
        Long planner = changeSet.getCreatedByUserId();
        return planner != null && people.idOf(user).map(planner::equals).orElse(false);
    }

    /**
     * Approves a planned change set, once the fabric still holds the state it was planned against: a change set the
     * fabric moved away from is marked STALE (nothing was written) and refused with the reason, never approved.
     */
    public ChangeSet approve(long id, String user) {
        return approve(id, user, ApprovalWindow.NONE);
    }

    /**
     * The change window an approver may set: the change set is pushed only from {@code start} to {@code end}, and by
     * vfzone itself, as the approver, when it opens if {@code pushWhenOpen}.
     */
    public record ApprovalWindow(Instant start, Instant end, boolean pushWhenOpen) {

        public static final ApprovalWindow NONE = new ApprovalWindow(null, null, false);

        /** A window as typed: both ends or none; the end after the start and not yet past. */
        public static ApprovalWindow of(Instant start, Instant end, boolean pushWhenOpen, Instant now) {
            if (start == null && end == null) {
                if (pushWhenOpen) {
                    throw RuleViolation.invalid("windowStart", "Give the change window to push in");
                }
                return NONE;
            }
            if (start == null) {
                throw RuleViolation.invalid("windowStart", "Give when the change window opens");
            }
            if (end == null) {
                throw RuleViolation.invalid("windowEnd", "Give when the change window closes");
            }
            if (!end.isAfter(start)) {
                throw RuleViolation.invalid("windowEnd", "The change window must close after it opens");
            }
            if (!end.isAfter(now)) {
                throw RuleViolation.invalid("windowEnd", "The change window has already closed");
            }
            return new ApprovalWindow(start, end, pushWhenOpen);
        }

        String note() {
            return start == null ? "" : " for the change window " + WINDOW_TIME.format(start) + " to "
                    + WINDOW_TIME.format(end) + " UTC" + (pushWhenOpen ? ", pushed by itself when it opens" : "");
        }
    }

    static final DateTimeFormatter WINDOW_TIME = Texts.UTC_MINUTES;

    public ChangeSet approve(long id, String user, ApprovalWindow window) {
        ChangeSet planned = get(id);
        if (planned.getStatus() == ChangeSetStatus.PLANNED) {
            access.require(Role.APPROVER, planned.getFabricId(), inventory.fabricName(planned.getFabricId()),
                    "approve changes on");
            stillCurrent(planned, user).ifPresent(problem -> {
                throw RuleViolation.conflict(null, problem + ": nothing was approved.");
            });
        }
        return transaction.execute(status -> approveChecked(id, user, window));
    }

    /**
     * Approves the change sets planned together with this one (one per fabric) in one action: each is checked as a
     * single approval would be (role on its fabric, four eyes, the fabric still as planned), and either all planned
     * ones are approved or none is, with every reason.
     */
    public List<ChangeSet> approveBatch(long id, String user, ApprovalWindow window) {
        List<ChangeSet> planned = batchOf(get(id)).stream()
                .filter(cs -> cs.getStatus() == ChangeSetStatus.PLANNED).toList();
        if (planned.isEmpty()) {
            throw RuleViolation.conflict(null, "No change set planned together with change set " + id
                    + " waits for approval");
        }
        long approver = people.requirePerson(user, "approve change sets");
        List<String> problems = new ArrayList<>();
        for (ChangeSet cs : planned) {
            access.require(Role.APPROVER, cs.getFabricId(), inventory.fabricName(cs.getFabricId()), "approve changes on");
            if (cs.getCreatedByUserId() != null && cs.getCreatedByUserId() == approver) {
                problems.add("You planned change set " + cs.getId() + "; another approver must approve it");
            } else {
                stillCurrent(cs, user).ifPresent(problems::add);
            }
        }
        if (!problems.isEmpty()) {
            throw RuleViolation.conflict(null, "Nothing was approved. " + String.join(". ", problems) + ".");
        }
        return transaction.execute(status -> planned.stream().map(cs -> approveChecked(cs.getId(), user, window)).toList());
    }

    /**
     * Whether the fabric still holds the state the change set was planned against; a change set the fabric moved
     * away from is marked STALE (nothing was written). Empty when current, otherwise why it cannot be approved.
     */
    private Optional<String> stillCurrent(ChangeSet planned, String user) {
        long id = planned.getId();
        String now;
        try {
            now = connector.driver(fabrics.get(planned.getFabricId())).read().stateToken();
        } catch (FabricException | RuleViolation e) {
            return Optional.of("Change set " + id + " cannot be approved now: the fabric "
                    + inventory.fabricName(planned.getFabricId()) + " cannot be read to check it still holds what the plan was "
                    + "made against (" + e.getMessage() + ")");
        }
        if (now.equals(planned.getStateToken())) {
            return Optional.empty();
        }
        String reason = "The fabric changed since change set " + id + " was planned; plan it again";
        transaction.executeWithoutResult(status -> changeSets.findByIdForUpdate(id)
                .filter(cs -> cs.getStatus() == ChangeSetStatus.PLANNED).ifPresent(cs -> {
                    cs.finish(ChangeSetStatus.STALE, ChangeSet.Outcome.NOTHING_WRITTEN, reason + ".",
                            clock.instant());
                    audit.record(user, "STALE", "change_set", id, reason + " (found when approving)", null);
                    outcomeEvent(cs, user, reason).ifPresent(events::publishEvent);
                }));
        return Optional.of(reason);
    }

    private ChangeSet approveChecked(long id, String user, ApprovalWindow window) {
        ChangeSet changeSet = changeSets.findByIdForUpdate(id).orElseThrow(() -> new NotFoundException("Change set", id));
        String fabricName = fabricName(changeSet);
        access.require(Role.APPROVER, changeSet.getFabricId(), fabricName, "approve changes on");
        if (changeSet.getStatus() != ChangeSetStatus.PLANNED) {
            throw RuleViolation.conflict(null, "Change set " + id + " is " + changeSet.getStatus()
                    + "; only a planned change set can be approved");
        }
        long approver = people.requirePerson(user, "approve change set " + id);
        if (changeSet.getCreatedByUserId() != null && changeSet.getCreatedByUserId() == approver) {
            throw RuleViolation.conflict(null, "You planned change set " + id + (changeSet.getCreatedBy()
                    .startsWith("token:") ? " (with your API token " + changeSet.getCreatedBy() + ")" : "")
                    + "; another approver must approve it");
        }
        changeSet.approve(user, approver, clock.instant());
        changeSet.window(window.start(), window.end(), window.pushWhenOpen());
        audit.record(user, "APPROVE", "change_set", id, "Approved change set " + id + " for fabric "
                + fabricName + window.note() + changeSet.reason().note(), null);
        events.publishEvent(new ZoningEvent(ZoningEvent.Kind.CHANGE_APPROVED, id, changeSet.getFabricId(),
                fabricName, user, "Change set " + id + " on " + fabricName
                + " approved by " + user + window.note() + "; it can be pushed" + changeSet.reason().note(), null));
        return changeSet;
    }

    @Transactional
    public ChangeSet cancel(long id, String user) {
        ChangeSet changeSet = changeSets.findByIdForUpdate(id).orElseThrow(() -> new NotFoundException("Change set", id));
        String fabricName = fabricName(changeSet);
        access.require(Role.OPERATOR, changeSet.getFabricId(), fabricName, "cancel changes on");
        if (changeSet.getStatus() != ChangeSetStatus.PLANNED && changeSet.getStatus() != ChangeSetStatus.APPROVED) {
            throw RuleViolation.conflict(null, "Change set " + id + " is " + changeSet.getStatus()
                    + " and cannot be cancelled");
        }
        changeSet.finish(ChangeSetStatus.CANCELLED, null, "Cancelled by " + user, clock.instant());
        audit.record(user, "CANCEL", "change_set", id, "Cancelled change set " + id, null);
        events.publishEvent(new ZoningEvent(ZoningEvent.Kind.CHANGE_CANCELLED, id, changeSet.getFabricId(),
                fabricName, user, "Change set " + id + " on " + fabricName + " cancelled by " + user, null));
        return changeSet;
    }

    private ZoningDatabase read(FabricDriver driver, Fabric fabric) {
        try {
            return driver.read();
        } catch (FabricException e) {
            throw RuleViolation.conflict(null, "Cannot read the zoning of fabric " + fabric.getName() + ": "
                    + e.getMessage());
        }
    }

    static ZonePlanner.Settings settings(Fabric fabric, FabricDriver driver) {
        ZonePlanner.Settings settings = new ZonePlanner.Settings(fabric.getZoningPolicy(), fabric.getZoneNameTemplate(),
                fabric.getOwnedPrefix(), fabric.getDefaultConfigName(), driver.supportsAliases(),
                fabric.isZoneHostHbas());
        // an MDS fabric set to fcaliases names its initiators and targets with fcaliases, not device-aliases
        return fabric.getVendor() == FabricVendor.CISCO_MDS_NXAPI && Fabric.ALIAS_KIND_FCALIAS.equals(fabric.getAliasKind())
                ? settings.inAliasNamespace(CiscoMdsNxapiDriver.FCALIAS) : settings;
    }

    /**
     * Every grant whose VM or array is on the fabric, with the VM's pair and the array's ports there, and the
     * physical HBA ports on the fabric of the hosts the VM may run on (its host, or every host of its cluster).
     */
    List<ZonePlanner.Grant> grants(long fabricId) {
        Map<Long, List<ZonePlanner.Port>> ports = new LinkedHashMap<>();
        for (InventoryDirectory.ArrayPort port : inventory.arrayPortsOnFabric(fabricId)) {
            ports.computeIfAbsent(port.arrayId(), k -> new ArrayList<>())
                    .add(new ZonePlanner.Port(port.portName(), port.wwpn()));
        }
        Map<Long, InventoryDirectory.InitiatorPair> pairs = new HashMap<>();
        inventory.initiatorsOnFabric(fabricId).forEach(pair -> pairs.put(pair.vmId(), pair));
        record Access(long vmId, long arrayId) {
        }
        List<Access> accesses = jdbc.query("select vm_id, array_id from storage_access",
                (rs, row) -> new Access(rs.getLong(1), rs.getLong(2))).stream()
                .filter(a -> pairs.containsKey(a.vmId()) || ports.containsKey(a.arrayId())).toList();
        Set<Long> vmIds = accesses.stream().map(Access::vmId).collect(Collectors.toSet());
        Map<Long, String> vmNames = inventory.vmNames(vmIds);
        Map<Long, String> arrayNames = inventory.arrayNames(
                accesses.stream().map(Access::arrayId).collect(Collectors.toSet()));
        Map<Long, List<String>> hostHbas = inventory.hostHbaWwpns(fabricId, vmIds);
        return accesses.stream().map(a -> {
            InventoryDirectory.InitiatorPair pair = pairs.get(a.vmId());
            return new ZonePlanner.Grant(a.vmId(), vmNames.get(a.vmId()), a.arrayId(), arrayNames.get(a.arrayId()),
                    pair == null ? null : pair.activeWwpn(), pair == null ? null : pair.standbyWwpn(),
                    ports.getOrDefault(a.arrayId(), List.of()), hostHbas.getOrDefault(a.vmId(), List.of()));
        }).sorted(Comparator.comparing(ZonePlanner.Grant::vmName)
                .thenComparing(ZonePlanner.Grant::arrayName)).toList();
    }

    /**
     * Warns (without blocking) about VMs neither of whose WWPNs is logged in to any discovered fabric: a typo'd
     * WWPN is the classic zoning mistake.
     */
    private ZonePlanner.Plan withLoginWarnings(ZonePlanner.Plan plan, List<ZonePlanner.Grant> grants) {
        List<String> wwpns = new ArrayList<>();
        grants.stream().filter(g -> g.activeWwpn() != null).forEach(g -> {
            wwpns.add(g.activeWwpn());
            if (g.standbyWwpn() != null) {
                wwpns.add(g.standbyWwpn());
            }
        });
        Set<String> loggedIn = logins.loggedInAnywhere(wwpns);
        if (loggedIn == null) {
            return plan;
        }
        List<String> warnings = new ArrayList<>(plan.warnings());
        grants.stream().filter(g -> g.activeWwpn() != null).map(ZonePlanner.Grant::vmName).distinct().forEach(vm -> {
            ZonePlanner.Grant g = grants.stream().filter(x -> x.vmName().equals(vm)).findFirst().orElseThrow();
            if (!loggedIn.contains(g.activeWwpn()) && (g.standbyWwpn() == null || !loggedIn.contains(g.standbyWwpn()))) {
                warnings.add("VM " + vm + ": neither " + g.activeWwpn() + " nor " + g.standbyWwpn()
                        + " is logged in to any fabric. Check the WWPNs for a typo before pushing.");
            }
        });
        return new ZonePlanner.Plan(plan.change(), plan.rows(), warnings, plan.desired(), plan.desiredAliases(),
                plan.scope());
    }

    Optional<ZoningEvent> outcomeEvent(ChangeSet changeSet, String user, String message) {
        ZoningEvent.Kind kind = switch (changeSet.getStatus()) {
            case DONE -> ZoningEvent.Kind.CHANGE_PUSHED;
            case FAILED -> ZoningEvent.Kind.CHANGE_FAILED;
            case STALE -> ZoningEvent.Kind.CHANGE_STALE;
            default -> null; // still approved (a busy switch): nothing happened to tell
        };
        return Optional.ofNullable(kind).map(k -> {
            String fabricName = fabricName(changeSet);
            return new ZoningEvent(k, changeSet.getId(), changeSet.getFabricId(), fabricName, user, "Change set "
                + changeSet.getId() + " on " + fabricName + ": " + changeSet.getStatus()
                + (changeSet.getOutcome() == null ? "" : " (" + changeSet.getOutcome().getLabel() + ")"), message);
        });
    }

    private static String summary(ZonePlanner.Plan plan) {
        long add = plan.rows().stream().filter(r -> r.is(ZonePlanner.ReviewRow.Kind.ZONE, ZonePlanner.ReviewRow.Action.ADD)).count();
        long change = plan.rows().stream().filter(r -> r.is(ZonePlanner.ReviewRow.Kind.ZONE, ZonePlanner.ReviewRow.Action.CHANGE)).count();
        long remove = plan.rows().stream().filter(r -> r.is(ZonePlanner.ReviewRow.Kind.ZONE, ZonePlanner.ReviewRow.Action.REMOVE)).count();
        return Words.of(add, "zone", "zones") + " to add, " + change + " to change, " + remove
                + " to remove";
    }
}
