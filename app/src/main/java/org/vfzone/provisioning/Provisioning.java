package org.vfzone.provisioning;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmForm;
import org.vfzone.inventory.VmService;
import org.vfzone.security.FabricAccess;
import org.vfzone.security.People;
import org.vfzone.security.Role;
import org.vfzone.system.AppNode;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.WwnPool;
import org.vfzone.wwn.WwnPoolService;
import org.vfzone.zoning.ChangeReason;
import org.vfzone.zoning.ChangeSet;
import org.vfzone.zoning.ChangeSetPush;
import org.vfzone.zoning.ChangeSetService;
import org.vfzone.zoning.ChangeSetStatus;
import org.vfzone.zoning.StandardChanges;
import org.vfzone.zoning.StorageAccessService;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * One call from "new VM" to zoned storage, and one to take it all away. A job is answered at once and advanced in
 * the background; every step is idempotent, so advancing a job again (the same call again, a pushed change set, a
 * restarted node) continues where it stopped and never allocates twice:
 * <ol>
 *   <li>provision: the VM, its WWNN and WWPN pairs with a VF per fabric, and its grants, in one transaction (a
 *   failure leaves the estate as before); then a plan per fabric scoped to the VM, and a push of each plan a standard
 *   change approved. A plan waiting for a person leaves the job WAITING_APPROVAL until it is pushed.</li>
 *   <li>decommission: its grants revoked, a plan per fabric removing its zones, pushed where a standard change covers
 *   it; once every change set is done, its VFs freed, its WWNs released to quarantine and the VM deleted.</li>
 * </ol>
 */
@Service
public class Provisioning implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Provisioning.class);

    public enum Status {
        RUNNING("running"), WAITING_APPROVAL("waiting for approval"), DONE("done"), FAILED("failed");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        /** The status in the words the pages use. */
        public String getLabel() {
            return label;
        }
    }

    /**
     * @param hostId    the host; or
     * @param cluster   a cluster, whose host with the most free VFs is chosen
     * @param fabricIds the fabrics (empty: every fabric the host reaches)
     * @param poolId    the WWN pool (empty: the only pool)
     */
    public record ProvisionRequest(@NotBlank @Size(max = 64) String name, UUID uuid, Long hostId,
                                   @Size(max = 128) String cluster, @NotEmpty @Size(max = 50) Set<Long> arrayIds,
                                   @Size(max = 20) Set<Long> fabricIds, Long poolId) {
    }

    /** One line of a job's log: what was done (or is awaited) and when; a resumed job appends, never rewrites. */
    public record Step(String step, String status, String detail, Instant at) {

        public Step(String step, String status, String detail) {
            this(step, status, detail, null);
        }

        /** Nothing was done: the pass found it already done by an earlier one. */
        boolean noChange() {
            return detail != null && (detail.contains("already") || detail.startsWith("VM ") && detail.contains(" exists on "));
        }
    }

    /**
     * Appends to the job's log what a pass did, stamped with the time; a line the log already holds, or a "nothing to
     * do" line for a step an earlier pass did, is not repeated.
     */
    private void append(List<Step> log, Step step) {
        boolean known = log.stream().anyMatch(earlier -> earlier.step().equals(step.step())
                && Objects.equals(earlier.status(), step.status())
                && (Objects.equals(earlier.detail(), step.detail())
                || step.noChange() && "DONE".equals(earlier.status())));
        if (!known) {
            log.add(new Step(step.step(), step.status(), step.detail(), clock.instant()));
        }
    }

    /** Published when a job stops advancing: done, failed, or waiting for an approver. */
    public record JobSettled(UUID jobId, Status status) {
    }

    public record Job(UUID id, String kind, Status status, Long vmId, String vmName, List<Step> steps,
                      List<Long> changeSetIds, String error, String createdBy, Instant createdAt, Instant updatedAt) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final JsonMapper json;
    /** Jobs run on their own threads: a job waits for pushes, which run on the application's task executor. */
    private final ThreadPoolTaskExecutor executor;
    /**
     * How long a claimed job is this node's: longer than a pass takes (a pass waits for pushes, each bounded by the
     * switch timeouts). The lease's end is also the job's next due time, so a node that stops mid-pass leaves the
     * job to another node when it lapses.
     */
    static final Duration LEASE = Duration.ofMinutes(10);
    /** A waiting job looks at its change sets this often even if no event says they moved. */
    private final Duration waitingLook;
    private final People people;
    private final FabricAccess fabricAccess;
    private final AppNode node;
    private final VmService vms;
    private final HostService hosts;
    private final WwnPoolService pools;
    private final StorageAccessService access;
    private final ChangeSetService changeSets;
    private final ChangeSetPush pushes;
    private final InventoryDirectory inventory;
    private final StandardChanges standardChanges;
    private final ApplicationEventPublisher events;

    Provisioning(ChangeSetPush pushes, JdbcTemplate jdbc, TransactionTemplate transaction, Clock clock, JsonMapper json,
                 ProvisioningProperties properties,
                 AppNode node, VmService vms,
                 HostService hosts, WwnPoolService pools, StorageAccessService access, ChangeSetService changeSets,
                 InventoryDirectory inventory, StandardChanges standardChanges,
                 ApplicationEventPublisher events, People people,
                 FabricAccess fabricAccess) {
        this.pushes = pushes;
        this.waitingLook = properties.waitingLook();
        int threads = properties.threads();
        this.people = people;
        this.fabricAccess = fabricAccess;
        this.events = events;
        this.standardChanges = standardChanges;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
        this.json = json;
        this.executor = new ThreadPoolTaskExecutor();
        this.executor.setCorePoolSize(threads);
        this.executor.setThreadNamePrefix("provision-");
        this.executor.initialize();
        this.node = node;
        this.vms = vms;
        this.hosts = hosts;
        this.pools = pools;
        this.access = access;
        this.changeSets = changeSets;
        this.inventory = inventory;
    }

    private final RowMapper<Job> jobs = (rs, i) -> new Job(rs.getObject("id", UUID.class), rs.getString("kind"),
            Status.valueOf(rs.getString("status")), (Long) rs.getObject("vm_id"), rs.getString("vm_name"),
            readSteps(rs.getString("steps")), List.of((Long[]) rs.getArray("change_set_ids").getArray()),
            rs.getString("error"), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("updated_at").toInstant());

    private List<Step> readSteps(String text) {
        return json.readValue(text, new TypeReference<List<Step>>() {
        });
    }

    public Job get(UUID id) {
        return jdbc.query("select * from provision_job where id = ?", jobs, id).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("Job", id));
    }

    public List<Job> recent(int limit) {
        return jdbc.query("select * from provision_job order by created_at desc limit ?", jobs, limit);
    }

    /** The newest jobs in this status (the current one of each VM name), newest first. */
    public List<Job> recent(int limit, Status status) {
        return jdbc.query("select * from provision_job where status = ? and not superseded order by created_at desc "
                + "limit ?", jobs, status.name(), limit);
    }

    /**
     * Starts (or, for the same VM name, returns and continues) the provisioning job. The caller must hold OPERATOR on
     * every fabric the job will zone, checked before anything changes; the job then runs as the caller.
     */
    public Job provision(ProvisionRequest request, String user) {
        String name = request.name().strip();
        if (request.hostId() == null && (request.cluster() == null || request.cluster().isBlank())) {
            throw RuleViolation.invalid("hostId", "give the host, or a cluster to choose a host from");
        }
        requireOnEveryFabric(fabricsOf(request), "provision VMs on");
        String normalized = json.writeValueAsString(new ProvisionRequest(name, request.uuid(), request.hostId(),
                request.cluster() == null ? null : request.cluster().strip(), new TreeSet<>(request.arrayIds()),
                request.fabricIds() == null ? Set.of() : new TreeSet<>(request.fabricIds()), request.poolId()));
        String key = name.toLowerCase(Locale.ROOT);
        // a VM provisioned, then decommissioned, may be asked for again: its finished job no longer holds the name
        Job job = claim("PROVISION", key, normalized, name, null, user);
        if (job.status() == Status.DONE && job.vmId() != null && vms.findByName(name).isEmpty()) {
            jdbc.update("update provision_job set superseded = true where id = ?", job.id());
            job = claim("PROVISION", key, normalized, name, null, user);
        }
        String stored = jdbc.queryForObject("select request from provision_job where id = ?", String.class, job.id());
        if (!normalized.equals(stored)) {
            throw RuleViolation.conflict("name", "VM " + name + " was provisioned with other settings (job "
                    + job.id() + "); change the VM itself, or decommission it first");
        }
        return start(job);
    }

    /** The fabrics a provisioning request will zone: those it names, else those of its host or its cluster's hosts. */
    private Set<Long> fabricsOf(ProvisionRequest request) {
        if (request.fabricIds() != null && !request.fabricIds().isEmpty()) {
            return new TreeSet<>(request.fabricIds());
        }
        List<Host> candidates = request.hostId() != null ? List.of(hostFor(request.hostId()))
                : hosts.all().stream().filter(h -> request.cluster().strip().equalsIgnoreCase(h.getCluster())).toList();
        Set<Long> fabrics = new TreeSet<>();
        for (Host candidate : candidates) {
            hosts.adaptersOf(candidate.getId()).stream().filter(a -> a.getFabric() != null)
                    .forEach(a -> fabrics.add(a.getFabric().getId()));
        }
        return fabrics;
    }

    /** Every fabric a job will touch, checked before it changes anything: no job stops half done for lack of rights. */
    private void requireOnEveryFabric(Set<Long> fabricIds, String action) {
        Map<Long, String> names = inventory.fabricNames();
        for (Long fabricId : fabricIds) {
            fabricAccess.require(Role.OPERATOR, fabricId, names.getOrDefault(fabricId,
                    "id " + fabricId), action);
        }
    }

    /** Starts (or returns and continues) the decommissioning job of a VM, once every fabric it is zoned on allows. */
    public Job decommission(long vmId, String user) {
        Vm vm = vms.get(vmId);
        Set<Long> fabrics = new TreeSet<>();
        inventory.initiatorsOfVm(vmId).forEach(pair -> fabrics.add(pair.fabricId()));
        requireOnEveryFabric(fabrics, "decommission VMs zoned on");
        Job job = claim("DECOMMISSION", "vm:" + vmId, "{\"vmId\":" + vmId + "}", vm.getName(), vmId, user);
        return start(job);
    }

    private Job claim(String kind, String key, String request, String vmName, Long vmId, String user) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                insert into provision_job (id, kind, job_key, request, status, vm_id, vm_name, steps, created_by,
                                           app_node, created_at, updated_at, due_at)
                values (?, ?, ?, ?, 'RUNNING', ?, ?, '[]', ?, ?, ?, ?, ?)
                on conflict (kind, job_key) where not superseded do nothing
                """, id, kind, key, request, vmId, vmName, user, node.id(), Timestamp.from(clock.instant()),
                Timestamp.from(clock.instant()), Timestamp.from(clock.instant()));
        return jdbc.query("select * from provision_job where kind = ? and job_key = ? and not superseded", jobs, kind,
                key).get(0);
    }

    /**
     * Makes the job due unless it is done (a failed one runs again: the same call resumes it once its cause is
     * fixed; a change set that was cancelled is planned anew) and asks this node to take due jobs; answers the job as
     * it is now.
     */
    private Job start(Job job) {
        if (job.status() == Status.DONE) {
            return job;
        }
        Set<Long> cancelled = changeSets.cancelled(job.changeSetIds());
        Long[] kept = job.changeSetIds().stream().filter(id -> !cancelled.contains(id)).toArray(Long[]::new);
        jdbc.update("""
                update provision_job set due_at = ?,
                       status = case when status = 'FAILED' then 'RUNNING' else status end,
                       change_set_ids = case when status = 'FAILED' then ? else change_set_ids end
                 where id = ? and status <> 'DONE'
                """, Timestamp.from(clock.instant()), kept, job.id());
        kick();
        return get(job.id());
    }

    /** A change set of these jobs moved (any outcome): each is due now. Only a hint: the queue is the table. */
    void changeSetMoved(long changeSetId) {
        int due = jdbc.update("update provision_job set due_at = ? where status in ('WAITING_APPROVAL', 'RUNNING') "
                + "and ? = any (change_set_ids)", Timestamp.from(clock.instant()), changeSetId);
        if (due > 0) {
            kickAfterCommit();
        }
    }

    /**
     * Kicks once the caller's transaction has committed (at once without one): a job thread kicked earlier would read
     * the job before it is due and stop, and the hint would wait for the next poll.
     */
    private void kickAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    kick();
                }
            });
        } else {
            kick();
        }
    }

    /** Asks this node to take due jobs, on the job threads. */
    void kick() {
        try {
            executor.execute(this::advanceDueJobs);
        } catch (TaskRejectedException stopping) {
            // the node is stopping: another node, or this one at its next start, takes the due jobs
        }
    }

    /** Takes due jobs one after another until none is due; any node may run this at any time. */
    void advanceDueJobs() {
        for (Optional<Claim> claim = claimDue(); claim.isPresent(); claim = claimDue()) {
            advanceClaimed(claim.get());
        }
    }

    private record Claim(UUID id, Timestamp dueUntil) {
    }

    /** One due job, leased to this node; skipped locked rows belong to another node's claim. */
    private Optional<Claim> claimDue() {
        Timestamp now = Timestamp.from(clock.instant());
        Timestamp leaseEnd = Timestamp.from(clock.instant().plus(LEASE));
        return transaction.execute(status -> jdbc.query("""
                update provision_job set lease_until = ?, due_at = ?, app_node = ?
                 where id = (select id from provision_job
                              where status in ('RUNNING', 'WAITING_APPROVAL') and coalesce(due_at, '-infinity') <= ?
                                and (lease_until is null or lease_until < ?)
                              order by due_at nulls first, created_at limit 1 for update skip locked)
                returning id, due_at
                """, (rs, i) -> new Claim(rs.getObject(1, UUID.class), rs.getTimestamp(2)), leaseEnd, leaseEnd,
                node.id(), now, now).stream().findFirst());
    }

    /**
     * One pass over a claimed job, as the person who asked for it with the rights they hold now; then the lease ends.
     * A trigger that arrived during the pass left the job due, and the next claim takes it again.
     */
    private void advanceClaimed(Claim claim) {
        try {
            Job job = get(claim.id());
            try {
                people.runAs(job.createdBy(), () -> {
                    advanceOnce(claim.id());
                    return null;
                });
            } catch (RuleViolation cannotAct) {
                save(claim.id(), Status.FAILED, null, new ArrayList<>(job.steps()), null, "Stopped: "
                        + cannotAct.getMessage() + ". Someone who may act on its fabrics calls again to continue.");
            }
        } finally {
            Status now = get(claim.id()).status();
            Timestamp next = now == Status.WAITING_APPROVAL ? Timestamp.from(clock.instant().plus(waitingLook))
                    : null;
            jdbc.update("update provision_job set lease_until = null, due_at = case when due_at = ? then ? else due_at "
                    + "end where id = ?", claim.dueUntil(), next, claim.id());
        }
    }

    @Override
    public void destroy() {
        executor.shutdown();
    }

    private void advanceOnce(UUID id) {
        AuditLog.asWorker("job " + id.toString().substring(0, 8), () -> advanceAsWorker(id));
    }

    private void advanceAsWorker(UUID id) {
        Job job = get(id);
        if (job.status() == Status.DONE) {
            return;
        }
        List<Step> steps = new ArrayList<>(job.steps());
        try {
            if (job.kind().equals("PROVISION")) {
                advanceProvision(job, steps);
            } else {
                advanceDecommission(job, steps);
            }
        } catch (RuntimeException e) {
            String reason = e instanceof RuleViolation || e instanceof NotFoundException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            append(steps, new Step(steps.isEmpty() ? "start" : "after " + steps.get(steps.size() - 1).step(),
                    "FAILED", reason));
            save(id, Status.FAILED, null, steps, null, "Stopped: " + reason + ". Fix it and call again to continue.");
            log.warn("Job {} failed: {}", id, reason);
        }
    }

    private void advanceProvision(Job job, List<Step> steps) {
        ProvisionRequest request = json.readValue(jdbc.queryForObject("select request from provision_job where id = ?",
                String.class, job.id()), ProvisionRequest.class);
        String user = job.createdBy();
        List<Step> prepared = new ArrayList<>();
        long vmId = retryingOnConflict(() -> transaction.execute(status -> prepareVm(request, user, prepared)));
        prepared.forEach(step -> append(steps, step));
        save(job.id(), Status.RUNNING, vmId, steps, null, null);
        Set<Long> fabrics = new LinkedHashSet<>();
        inventory.initiatorsOfVm(vmId).stream()
                .filter(pair -> request.fabricIds() == null || request.fabricIds().isEmpty()
                        || request.fabricIds().contains(pair.fabricId()))
                .forEach(pair -> fabrics.add(pair.fabricId()));
        finishZoning(job, vmId, fabrics, steps, user, null);
    }

    /** The VM, its identity and VFs, its grants: all or nothing. */
    private long prepareVm(ProvisionRequest request, String user, List<Step> steps) {
        steps.clear();
        Optional<Vm> existing = vms.findByName(request.name().strip());
        Vm vm;
        if (existing.isPresent()) {
            vm = existing.get();
            steps.add(new Step("vm", "DONE", "VM " + vm.getName() + " exists on " + vm.getHost().getName()));
        } else {
            if (request.hostId() == null) {
                // concurrent provisioning into one cluster picks hosts one after another, so none overfills a host
                jdbc.query("select pg_advisory_xact_lock(hashtext('vfzone.provision-cluster'), hashtext(lower(?)))",
                        rs -> {
                        }, request.cluster().strip());
            }
            Host host = request.hostId() != null ? hostFor(request.hostId()) : roomiestHostOf(request.cluster());
            vm = vms.create(new VmForm(request.name().strip(), request.uuid() == null ? "" : request.uuid().toString(),
                    host.getId(), request.cluster()));
            steps.add(new Step("vm", "DONE", "VM " + vm.getName() + " created on " + host.getName()));
        }
        long poolId = request.poolId() != null ? request.poolId() : onlyPool();
        List<String> allocated = vms.allocateIdentityAndAssignVfs(vm.getId(), poolId, user, request.fabricIds());
        steps.add(new Step("identity", "DONE", allocated.isEmpty() ? "WWNN, WWPN pairs and VFs already held"
                : String.join("; ", allocated)));
        Set<Long> granted = new HashSet<>();
        access.of(vm.getId()).forEach(a -> granted.add(a.arrayId()));
        List<String> grants = new ArrayList<>();
        for (Long arrayId : new TreeSet<>(request.arrayIds())) {
            if (!granted.contains(arrayId)) {
                grants.add(access.grant(vm.getId(), arrayId, user).arrayName());
            }
        }
        steps.add(new Step("grants", "DONE", grants.isEmpty() ? "arrays already granted"
                : "granted " + String.join(", ", grants)));
        return vm.getId();
    }

    private Host hostFor(long hostId) {
        try {
            return hosts.get(hostId);
        } catch (NotFoundException e) {
            throw RuleViolation.invalid("hostId", "host " + hostId + " does not exist");
        }
    }

    private Host roomiestHostOf(String cluster) {
        return hosts.roomiestOf(cluster)
                .orElseThrow(() -> RuleViolation.invalid("cluster", "no host is in cluster " + cluster.strip()));
    }

    private long onlyPool() {
        List<WwnPool> all = pools.list();
        if (all.size() != 1) {
            throw RuleViolation.invalid("poolId", all.isEmpty() ? "there is no WWN pool: create one first"
                    : "choose the WWN pool (there are " + all.size() + ")");
        }
        return all.get(0).getId();
    }

    /**
     * Plans each fabric scoped to the VM (once; a change set that went stale, failed or was cancelled is planned
     * again), pushes those a standard change approved, and says whether the job is done or waits for an approver.
     */
    private void finishZoning(Job job, long vmId, Set<Long> fabrics, List<Step> steps, String user, Runnable whenDone) {
        List<Long> current = new ArrayList<>(get(job.id()).changeSetIds());
        Map<Long, ChangeSet> byFabric = new HashMap<>();
        for (Long id : current) {
            ChangeSet cs = changeSets.get(id);
            byFabric.merge(cs.getFabricId(), cs, (a, b) -> a.getId() > b.getId() ? a : b);
        }
        boolean waiting = false;
        fabrics:
        for (Long fabricId : fabrics) {
            ChangeSet cs = byFabric.get(fabricId);
            // a push another job made first leaves this plan stale (the fabric changed under it): plan again
            for (int attempt = 1; ; attempt++) {
                if (cs != null && cs.getStatus() == ChangeSetStatus.APPROVED) {
                    cs = pushWhenFree(cs.getId(), user);
                }
                if (cs != null && cs.getStatus() == ChangeSetStatus.CANCELLED) {
                    throw RuleViolation.conflict(null, "change set " + cs.getId() + " on " + inventory.fabricName(cs.getFabricId())
                            + " was cancelled (" + cs.getResultMessage() + "); call again to plan it anew");
                }
                boolean replan = cs == null || cs.getStatus() == ChangeSetStatus.STALE
                        || (cs.getStatus() == ChangeSetStatus.FAILED && cs.getOutcome() != ChangeSet.Outcome.UNKNOWN);
                if (!replan || attempt > 20) {
                    break;
                }
                Optional<ChangeSet> planned = changeSets.plan(fabricId,
                        new ChangeSetService.PlanScope(Set.of(vmId), Set.of()), user,
                        ChangeReason.of("Provisioning job " + job.id() + " for VM " + job.vmName(), null), null);
                if (planned.isEmpty()) {
                    append(steps, new Step("zoning", "DONE", "fabric " + inventory.fabricNames().get(fabricId)
                            + " already as wanted"));
                    continue fabrics;
                }
                cs = planned.get();
                current.add(cs.getId());
                save(job.id(), Status.RUNNING, vmId, steps, current, null);
            }
            String fabric = inventory.fabricName(cs.getFabricId());
            switch (cs.getStatus()) {
                case DONE -> append(steps, new Step("zoning", "DONE", "change set " + cs.getId() + " pushed to " + fabric
                        + (cs.getApprovalPolicyId() != null ? " (" + cs.getApprovedBy() + ")" : "")));
                case PLANNED, APPROVED, PUSHING -> {
                    waiting = true;
                    append(steps, new Step("zoning", "WAITING", "change set " + cs.getId() + " on " + fabric + " is "
                            + cs.getStatus() + ": " + (cs.getStatus() == ChangeSetStatus.PLANNED
                            ? "no standard change covers it (" + String.join("; ", standardChanges.coverage(
                            changeSets.fabricOf(cs), changeSets.stored(cs).plan()).outside()) + "); an approver approves it, "
                            + "then it is pushed" : "being pushed")));
                }
                default -> throw RuleViolation.conflict(null, "change set " + cs.getId() + " on " + fabric + " ended "
                        + cs.getStatus() + ": " + cs.getResultMessage());
            }
        }
        if (waiting) {
            save(job.id(), Status.WAITING_APPROVAL, vmId, steps, current, null);
            return;
        }
        if (whenDone != null) {
            whenDone.run();
        }
        save(job.id(), Status.DONE, whenDone != null ? null : vmId, steps, current, null);
    }

    /** Another push holds the fabric: this one is tried again. */
    private static final class FabricBusy extends RuntimeException {
        FabricBusy(RuleViolation cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * A push waits while another holds the fabric (each ends in well under a second per change set): tried again with a
     * growing pause, for at most two minutes.
     */
    private static final RetryTemplate WHILE_FABRIC_BUSY =
            new RetryTemplate(RetryPolicy.builder()
                    .includes(FabricBusy.class).maxRetries(Long.MAX_VALUE).timeout(Duration.ofMinutes(2))
                    .delay(Duration.ofMillis(100)).multiplier(1.5).maxDelay(Duration.ofSeconds(2)).build());

    /** Pushes an approved change set, waiting (bounded) while another push holds the fabric. */
    private ChangeSet pushWhenFree(long changeSetId, String user) {
        try {
            return WHILE_FABRIC_BUSY.invoke(() -> {
                try {
                    return pushes.pushApproved(changeSetId, user, true);
                } catch (RuleViolation e) {
                    if (e.status() == HttpStatus.FORBIDDEN) {
                        throw e; // the job's owner may not push there: waiting does not change that
                    }
                    ChangeSet now = changeSets.get(changeSetId);
                    if (now.getStatus() != ChangeSetStatus.APPROVED) {
                        return now;
                    }
                    throw new FabricBusy(e);
                }
            });
        } catch (FabricBusy stillBusy) {
            return changeSets.get(changeSetId);
        }
    }

    private void advanceDecommission(Job job, List<Step> steps) {
        Long vmId = job.vmId();
        if (vmId == null || !vms.exists(vmId)) {
            append(steps, new Step("delete", "DONE", "the VM is gone"));
            save(job.id(), Status.DONE, null, steps, null, null);
            return;
        }
        String user = job.createdBy();
        Set<Long> fabricsBefore = new LinkedHashSet<>();
        inventory.initiatorsOfVm(vmId).forEach(pair -> fabricsBefore.add(pair.fabricId()));
        // every fabric the job will touch, before the grants go: a job cannot stop half done for lack of rights
        requireOnEveryFabric(fabricsBefore, "decommission VMs zoned on");
        List<String> revoked = new ArrayList<>();
        transaction.executeWithoutResult(status -> access.of(vmId).forEach(grant -> {
            revoked.add(grant.arrayName());
            access.revoke(vmId, grant.id(), user);
        }));
        append(steps, new Step("grants", "DONE", revoked.isEmpty() ? "no storage access left"
                : "revoked " + String.join(", ", revoked)));
        Set<Long> fabrics = new LinkedHashSet<>();
        inventory.initiatorsOfVm(vmId).forEach(pair -> fabrics.add(pair.fabricId()));
        finishZoning(job, vmId, fabrics, steps, user, () -> {
            vms.delete(vmId, user);
            append(steps, new Step("delete", "DONE", "VFs freed, WWNs released to quarantine, VM " + job.vmName()
                    + " deleted"));
        });
    }

    /** The VM step again when a concurrent provisioning took the same VF or WWN first. */
    /**
     * Concurrent jobs filling one host or pool collide on a row now and then: such a preparation is tried again, with a
     * growing, jittered pause, up to 20 times.
     */
    private static final RetryTemplate ON_CONFLICT =
            new RetryTemplate(RetryPolicy.builder()
                    .includes(OptimisticLockingFailureException.class,
                            DataIntegrityViolationException.class,
                            CannotAcquireLockException.class)
                    .maxRetries(19).delay(Duration.ofMillis(10)).multiplier(2).maxDelay(Duration.ofMillis(500))
                    .jitter(Duration.ofMillis(5)).build());

    private static <T> T retryingOnConflict(Supplier<T> work) {
        return ON_CONFLICT.invoke(work);
    }

    private void save(UUID id, Status status, Long vmId, List<Step> steps, List<Long> changeSetIds, String error) {
        jdbc.update("update provision_job set status = ?, vm_id = coalesce(?, vm_id), steps = ?, change_set_ids = "
                        + "coalesce(?, change_set_ids), error = ?, updated_at = ? where id = ?", status.name(), vmId,
                json.writeValueAsString(steps), changeSetIds == null ? null : changeSetIds.toArray(Long[]::new), error,
                Timestamp.from(clock.instant()), id);
        if (status != Status.RUNNING) {
            events.publishEvent(new JobSettled(id, status));
        }
    }
}
