package org.vfzone.zoning;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.security.FabricAccess;
import org.vfzone.security.People;
import org.vfzone.security.Role;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;

/**
 * Standard changes: pre-approved, low-risk, repeatable zoning changes (ITIL). An OPERATOR proposes a policy (which
 * fabrics, arrays, clusters or hosts, zone policy, actions, a ceiling of zones per change set, an expiry); an
 * APPROVER other than the proposer activates it. A planned change set whose every review row falls inside one active
 * policy is approved by that policy, recorded as such; any other row (changing a zone, removing a zone of a VM that
 * still has storage, creating a config) needs the normal four-eyes approval. Pushes still verify.
 */
@Service
@Transactional
public class StandardChanges {

    public enum Status { PROPOSED, ACTIVE, REVOKED }

    /** A policy became active: change sets already planned inside it are approved by it too. */
    public record Activated(long policyId, Set<Long> fabricIds) {
    }

    public record Policy(long id, String name, String description, Set<Long> fabricIds, Set<Long> arrayIds,
                         Set<String> clusters, Set<Long> hostIds, ZoningPolicy zoningPolicy, boolean allowAdd,
                         boolean allowRemove, int maxZones, Instant expiresAt, Status status, String proposedBy,
                         Instant proposedAt, String approvedBy, Instant approvedAt) {

        public boolean activeAt(Instant now) {
            return status == Status.ACTIVE && expiresAt.isAfter(now);
        }
    }

    /**
     * @param clusters      VMs on hosts of these clusters (the host's cluster, never the VM's label); with {@code hostIds} both
     *                      empty, VMs on any host
     * @param zoningPolicy  the fabric's zone policy must be this one; null: any
     */
    public record PolicyForm(@NotBlank @Size(max = 48) String name, @Size(max = 500) String description,
                             @NotEmpty @Size(max = 100) Set<Long> fabricIds, @NotEmpty @Size(max = 1000) Set<Long> arrayIds,
                             @Size(max = 100) Set<String> clusters, @Size(max = 1000) Set<Long> hostIds,
                             ZoningPolicy zoningPolicy, Boolean allowAdd, Boolean allowRemove,
                             @NotNull @Min(1) @Max(10000) Integer maxZones, @NotNull Instant expiresAt) {

        public PolicyForm {
            allowAdd = Boolean.TRUE.equals(allowAdd);
            allowRemove = Boolean.TRUE.equals(allowRemove);
        }
    }

    /** Whether one active policy covers a plan: the policy, or why none does (per row). */
    public record Coverage(Policy policy, List<String> outside) {
        public boolean covered() {
            return policy != null;
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final AuditLog audit;
    private final FabricService fabrics;
    private final StorageArrayService arrays;
    private final VmService vms;
    private final People people;
    private final FabricAccess access;
    private final ApplicationEventPublisher events;

    StandardChanges(JdbcTemplate jdbc, Clock clock, AuditLog audit, FabricService fabrics, StorageArrayService arrays,
                    VmService vms, People people, FabricAccess access, ApplicationEventPublisher events) {
        this.events = events;
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
        this.fabrics = fabrics;
        this.arrays = arrays;
        this.vms = vms;
        this.people = people;
        this.access = access;
    }

    private static final String COLUMNS = "id, name, description, fabric_ids, array_ids, clusters, host_ids, "
            + "zoning_policy, allow_add, allow_remove, max_zones, expires_at, status, proposed_by, proposed_at, "
            + "approved_by, approved_at";

    private static final RowMapper<Policy> POLICY = (rs, i) -> new Policy(rs.getLong(1), rs.getString(2),
            rs.getString(3), longs(rs.getArray(4)), longs(rs.getArray(5)), texts(rs.getArray(6)), longs(rs.getArray(7)),
            rs.getString(8) == null ? null : ZoningPolicy.valueOf(rs.getString(8)), rs.getBoolean(9),
            rs.getBoolean(10), rs.getInt(11), rs.getTimestamp(12).toInstant(), Status.valueOf(rs.getString(13)),
            rs.getString(14), rs.getTimestamp(15).toInstant(), rs.getString(16),
            rs.getTimestamp(17) == null ? null : rs.getTimestamp(17).toInstant());

    private static Set<Long> longs(Array array) throws SQLException {
        return array == null ? Set.of() : new TreeSet<>(Arrays.asList((Long[]) array.getArray()));
    }

    private static Set<String> texts(Array array) throws SQLException {
        return array == null ? Set.of() : new TreeSet<>(Arrays.asList((String[]) array.getArray()));
    }

    @Transactional(readOnly = true)
    public List<Policy> list() {
        return jdbc.query("select " + COLUMNS + " from standard_change_policy order by lower(name)", POLICY);
    }

    @Transactional(readOnly = true)
    public Policy get(long id) {
        return jdbc.query("select " + COLUMNS + " from standard_change_policy where id = ?", POLICY, id).stream()
                .findFirst().orElseThrow(() -> new NotFoundException("Standard change policy", id));
    }

    public Policy propose(PolicyForm form, String user) {
        if (!form.allowAdd() && !form.allowRemove()) {
            throw RuleViolation.invalid("allowAdd", "a policy allows adding zones for new VMs, removing zones of "
                    + "decommissioned VMs, or both");
        }
        if (!form.expiresAt().isAfter(clock.instant())) {
            throw RuleViolation.invalid("expiresAt", "must be in the future");
        }
        if (form.expiresAt().isAfter(clock.instant().plus(Duration.ofDays(366)))) {
            throw RuleViolation.invalid("expiresAt", "must be within a year: a standard change is reviewed at least "
                    + "yearly");
        }
        for (Long fabricId : form.fabricIds()) {
            Fabric fabric = fabrics.getForField(fabricId, "fabricIds");
            access.require(Role.OPERATOR, fabric.getId(), fabric.getName(), "propose a standard change on");
        }
        long proposer = people.requirePerson(user, "propose a standard change");
        for (Long arrayId : form.arrayIds()) {
            try {
                arrays.get(arrayId);
            } catch (NotFoundException e) {
                throw RuleViolation.invalid("arrayIds", "there is no array with id " + arrayId);
            }
        }
        Long clash = jdbc.queryForObject("select count(*) from standard_change_policy where lower(name) = lower(?)",
                Long.class, form.name().strip());
        if (clash != null && clash > 0) {
            throw RuleViolation.conflict("name", "a standard change policy named " + form.name().strip()
                    + " already exists");
        }
        Long id = jdbc.queryForObject("""
                insert into standard_change_policy (name, description, fabric_ids, array_ids, clusters, host_ids,
                    zoning_policy, allow_add, allow_remove, max_zones, expires_at, status, proposed_by, proposed_at,
                    proposed_by_user_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PROPOSED', ?, ?, ?) returning id
                """, Long.class, form.name().strip(), form.description() == null ? "" : form.description().strip(),
                form.fabricIds().toArray(Long[]::new), form.arrayIds().toArray(Long[]::new),
                (form.clusters() == null ? Set.<String>of() : form.clusters()).stream().map(String::strip)
                        .filter(c -> !c.isEmpty()).toArray(String[]::new),
                (form.hostIds() == null ? Set.<Long>of() : form.hostIds()).toArray(Long[]::new),
                form.zoningPolicy() == null ? null : form.zoningPolicy().name(), form.allowAdd(), form.allowRemove(),
                form.maxZones(), Timestamp.from(form.expiresAt()), user, Timestamp.from(clock.instant()), proposer);
        Policy policy = get(id);
        audit.record(user, "PROPOSE_POLICY", "standard_change", id, "Proposed standard change " + policy.name()
                + ": " + describe(policy), null);
        return policy;
    }

    /** Activates a proposed policy: an APPROVER, never its proposer (nor through their API token). */
    public Policy approve(long id, String user) {
        Policy policy = lock(id);
        if (policy.status() != Status.PROPOSED) {
            throw RuleViolation.conflict(null, "standard change " + policy.name() + " is " + policy.status()
                    + "; only a proposed one can be approved");
        }
        requireOnEveryFabric(policy, "approve standard change " + policy.name() + ", which covers");
        long approver = people.requirePerson(user, "approve standard change " + policy.name());
        Long proposer = jdbc.queryForObject("select proposed_by_user_id from standard_change_policy where id = ?",
                Long.class, id);
        if (proposer == null || proposer == approver) {
            throw RuleViolation.conflict(null, proposer == null ? "Standard change " + policy.name() + " has no "
                    + "known proposer, so no second person can be told apart; propose it again"
                    : "You proposed standard change " + policy.name() + "; another approver must approve it");
        }
        jdbc.update("update standard_change_policy set status = 'ACTIVE', approved_by = ?, approved_at = ?, "
                + "approved_by_user_id = ?, version = version + 1 where id = ?", user, Timestamp.from(clock.instant()),
                approver, id);
        audit.record(user, "APPROVE_POLICY", "standard_change", id, "Approved standard change " + policy.name()
                + ": change sets inside it are approved without a second person until "
                + policy.expiresAt(), null);
        events.publishEvent(new Activated(id, policy.fabricIds()));
        return get(id);
    }

    public Policy revoke(long id, String user) {
        Policy policy = lock(id);
        requireOnEveryFabric(policy, "revoke standard change " + policy.name() + ", which covers");
        if (policy.status() == Status.REVOKED) {
            return policy;
        }
        jdbc.update("update standard_change_policy set status = 'REVOKED', revoked_by = ?, revoked_at = ?, "
                + "version = version + 1 where id = ?", user, Timestamp.from(clock.instant()), id);
        audit.record(user, "REVOKE_POLICY", "standard_change", id, "Revoked standard change " + policy.name(), null);
        return get(id);
    }

    /** A policy acts on every fabric it names: deciding on it needs APPROVER on each of them. */
    private void requireOnEveryFabric(Policy policy, String action) {
        Map<Long, String> names = new HashMap<>();
        fabrics.list().forEach(f -> names.put(f.getId(), f.getName()));
        for (Long fabricId : policy.fabricIds()) {
            access.require(Role.APPROVER, fabricId, names.getOrDefault(fabricId, "id " + fabricId), action);
        }
    }

    private Policy lock(long id) {
        jdbc.query("select id from standard_change_policy where id = ? for update", rs -> {
        }, id);
        return get(id);
    }

    /** "adds zones for new VMs on FAB-A to array pure-01, at most 20 zones, until …": a policy for people. */
    public String describe(Policy policy) {
        List<String> actions = new ArrayList<>();
        if (policy.allowAdd()) {
            actions.add("adds zones for new VMs");
        }
        if (policy.allowRemove()) {
            actions.add("removes zones of decommissioned VMs");
        }
        Map<Long, String> fabricNames = new HashMap<>();
        fabrics.list().forEach(f -> fabricNames.put(f.getId(), f.getName()));
        String where = " on " + String.join(", ", policy.fabricIds().stream()
                .map(id -> fabricNames.getOrDefault(id, "fabric " + id)).toList());
        String hosts = policy.clusters().isEmpty() && policy.hostIds().isEmpty() ? ""
                : " for VMs of " + String.join(", ", policy.clusters())
                + (policy.hostIds().isEmpty() ? "" : (policy.clusters().isEmpty() ? "" : " and ") + policy.hostIds().size()
                + " host(s)");
        return String.join(" and ", actions) + where + hosts + " to " + policy.arrayIds().size() + " array(s), at most "
                + policy.maxZones() + " zones per change set, until " + policy.expiresAt();
    }

    /**
     * Which active policy covers every review row of a plan on this fabric, or (none covering) why the closest
     * policy does not.
     */
    @Transactional(readOnly = true)
    public Coverage coverage(Fabric fabric, ZonePlanner.Plan plan) {
        Instant now = clock.instant();
        List<Policy> active = list().stream().filter(p -> p.activeAt(now))
                .filter(p -> p.fabricIds().contains(fabric.getId())).toList();
        if (active.isEmpty()) {
            return new Coverage(null, List.of("no active standard change includes fabric " + fabric.getName()));
        }
        List<String> closest = null;
        for (Policy policy : active.stream().sorted(Comparator.comparing(Policy::id)).toList()) {
            List<String> outside = outside(policy, fabric, plan);
            if (outside.isEmpty()) {
                return new Coverage(policy, List.of());
            }
            if (closest == null || outside.size() < closest.size()) {
                closest = outside.stream().map(reason -> policy.name() + ": " + reason).toList();
            }
        }
        return new Coverage(null, closest);
    }

    private List<String> outside(Policy policy, Fabric fabric, ZonePlanner.Plan plan) {
        List<String> outside = new ArrayList<>();
        if (!policy.fabricIds().contains(fabric.getId())) {
            outside.add("fabric " + fabric.getName() + " is not in the policy");
            return outside;
        }
        if (policy.zoningPolicy() != null && policy.zoningPolicy() != fabric.getZoningPolicy()) {
            outside.add("fabric " + fabric.getName() + " zones by " + fabric.getZoningPolicy() + ", the policy by "
                    + policy.zoningPolicy());
        }
        Map<String, ZonePlanner.DesiredZone> desired = new HashMap<>();
        plan.desired().forEach(zone -> desired.put(zone.zone().name(), zone));
        int zones = 0;
        for (ZonePlanner.ReviewRow row : plan.rows()) {
            String what = row.action() + " " + row.kind() + " " + row.name();
            switch (row.kind()) {
                case ZONE -> {
                    switch (row.action()) {
                        case ADD -> {
                            zones++;
                            ZonePlanner.DesiredZone zone = desired.get(row.name());
                            if (!policy.allowAdd()) {
                                outside.add(what + ": the policy does not add zones");
                            } else if (zone == null) {
                                outside.add(what + ": not a zone of a VM's grant");
                            } else {
                                checkVmAndArray(policy, fabric, zone.vmId(), zone.arrayId(), true, what, outside);
                            }
                        }
                        case REMOVE -> {
                            zones++;
                            if (!policy.allowRemove()) {
                                outside.add(what + ": the policy does not remove zones");
                            } else {
                                checkRemoval(policy, fabric, row.name(), what, outside);
                            }
                        }
                        default -> outside.add(what + ": changing an existing object needs the normal approval");
                    }
                }
                case ALIAS -> {
                    switch (row.action()) {
                        case ADD -> {
                            if (!policy.allowAdd()) {
                                outside.add(what + ": the policy does not add zones");
                            }
                        }
                        case REMOVE -> {
                            if (!policy.allowRemove()) {
                                outside.add(what + ": the policy does not remove zones");
                            }
                        }
                        default -> outside.add(what + ": changing an existing object needs the normal approval");
                    }
                }
                case CONFIG -> {
                    // a change or activation is what every push does with the zones above
                    if (row.action() == ZonePlanner.ReviewRow.Action.ADD) {
                        outside.add(what + ": creating a config needs the normal approval");
                    } else if (row.action() == ZonePlanner.ReviewRow.Action.REMOVE) {
                        outside.add(what + ": changing an existing object needs the normal approval");
                    }
                }
            }
        }
        if (zones > policy.maxZones()) {
            outside.add(zones + " zones, over the policy's ceiling of " + policy.maxZones());
        }
        return outside;
    }

    private void checkVmAndArray(Policy policy, Fabric fabric, long vmId, long arrayId, boolean mustBeNew, String what,
                                 List<String> outside) {
        if (!policy.arrayIds().contains(arrayId)) {
            outside.add(what + ": its array is not in the policy");
        }
        Vm vm;
        try {
            vm = vms.get(vmId);
        } catch (NotFoundException e) {
            outside.add(what + ": its VM no longer exists");
            return;
        }
        boolean anyHost = policy.clusters().isEmpty() && policy.hostIds().isEmpty();
        // the host's cluster, a fact of the inventory; never the VM's own cluster label, which a requester types
        String cluster = vm.getHost().getCluster();
        boolean hostIn = policy.hostIds().contains(vm.getHost().getId()) || (cluster != null && policy.clusters()
                .stream().anyMatch(c -> c.toLowerCase(Locale.ROOT).equals(cluster.toLowerCase(Locale.ROOT))));
        if (!anyHost && !hostIn) {
            outside.add(what + ": VM " + vm.getName() + " runs on host " + vm.getHost().getName()
                    + (cluster == null || cluster.isBlank() ? ", in no cluster," : " of cluster " + cluster + ",")
                    + " which is not a host or cluster of the policy");
        }
        if (mustBeNew) {
            Long zonedBefore = jdbc.queryForObject("select count(*) from owned_zone_object where fabric_id = ? and "
                    + "kind = 'ZONE' and vm_id = ?", Long.class, fabric.getId(), vmId);
            if (zonedBefore != null && zonedBefore > 0) {
                outside.add(what + ": VM " + vm.getName() + " already has zones on " + fabric.getName()
                        + " (the policy adds zones for new VMs)");
            }
        }
    }

    /** A zone of a deleted VM, or of a VM left without any storage access (being decommissioned). */
    private void checkRemoval(Policy policy, Fabric fabric, String zone, String what, List<String> outside) {
        List<Long[]> owners = jdbc.query("select vm_id, array_id from owned_zone_object where fabric_id = ? and "
                + "kind = 'ZONE' and name = ?", (ResultSet rs, int i) -> new Long[] {(Long) rs.getObject(1),
                (Long) rs.getObject(2)}, fabric.getId(), zone);
        if (owners.isEmpty() || owners.get(0)[0] == null) {
            outside.add(what + ": not a zone vfzone made for a VM");
            return;
        }
        Long vmId = owners.get(0)[0];
        Long arrayId = owners.get(0)[1];
        if (arrayId == null || !policy.arrayIds().contains(arrayId)) {
            outside.add(what + ": its array is not in the policy");
        }
        Long grants = jdbc.queryForObject("select count(*) from storage_access where vm_id = ?", Long.class, vmId);
        if (vms.exists(vmId) && grants != null && grants > 0) {
            outside.add(what + ": its VM still has storage access (the policy removes zones of decommissioned VMs)");
        }
    }

    /** The policy a change set was approved by, if any. */
    @Transactional(readOnly = true)
    public Optional<Policy> ofChangeSet(ChangeSet changeSet) {
        return changeSet.getApprovalPolicyId() == null ? Optional.empty() : Optional.of(get(changeSet.getApprovalPolicyId()));
    }
}
