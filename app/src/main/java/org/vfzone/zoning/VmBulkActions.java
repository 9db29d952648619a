package org.vfzone.zoning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongFunction;

import org.springframework.stereotype.Service;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.inventory.VmService;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;

/**
 * One action on many VMs at once, as the VM list offers it: allocate identities and VFs, grant an array, or plan
 * their zones (one change set per fabric, scoped to the chosen VMs). Each VM's step is its own transaction, so one
 * VM's refusal is reported for that VM and the others go ahead; the answer says what happened to each.
 */
@Service
public class VmBulkActions {

    public enum Action { ALLOCATE, GRANT, PLAN }

    public static final int MAX_VMS = 1000;

    /** What happened: per VM for ALLOCATE and GRANT, per fabric for PLAN. */
    public record Outcome(String object, boolean ok, String message, Long changeSetId) {
    }

    private final VmService vms;
    private final StorageAccessService access;
    private final ChangeSetService changeSets;
    private final InventoryDirectory inventory;

    VmBulkActions(VmService vms, StorageAccessService access, ChangeSetService changeSets,
                  InventoryDirectory inventory) {
        this.vms = vms;
        this.access = access;
        this.changeSets = changeSets;
        this.inventory = inventory;
    }

    public List<Outcome> apply(Action action, Set<Long> vmIds, Long poolId, Long arrayId, String user) {
        return apply(action, vmIds, poolId, arrayId, user, ChangeReason.NONE);
    }

    /** As {@link #apply(Action, Set, Long, Long, String)}; a PLAN carries {@code why} on every change set it makes. */
    public List<Outcome> apply(Action action, Set<Long> vmIds, Long poolId, Long arrayId, String user,
                               ChangeReason why) {
        if (action == null) {
            throw RuleViolation.invalid("action", "choose ALLOCATE, GRANT or PLAN");
        }
        if (vmIds == null || vmIds.isEmpty()) {
            throw RuleViolation.invalid("vmIds", "choose at least one VM");
        }
        if (vmIds.size() > MAX_VMS) {
            throw RuleViolation.invalid("vmIds", "at most " + MAX_VMS + " VMs at once");
        }
        Map<Long, String> names = inventory.vmNames(vmIds);
        List<Long> unknown = vmIds.stream().filter(id -> !names.containsKey(id)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw RuleViolation.invalid("vmIds", "no VM with id " + unknown);
        }
        List<Long> ordered = vmIds.stream().sorted(Comparator.comparing(names::get)).toList();
        return switch (action) {
            case ALLOCATE -> {
                if (poolId == null) {
                    throw RuleViolation.invalid("poolId", "choose a WWN pool");
                }
                yield each(ordered, names, vm -> {
                    List<String> done = vms.allocateIdentityAndAssignVfs(vm, poolId, user);
                    return done.isEmpty() ? "nothing to do: identity and VFs are complete"
                            : "allocated: " + String.join("; ", done);
                });
            }
            case GRANT -> {
                if (arrayId == null) {
                    throw RuleViolation.invalid("arrayId", "choose a storage array");
                }
                yield each(ordered, names, vm -> "may reach " + access.grant(vm, arrayId, user).arrayName());
            }
            case PLAN -> plan(ordered, user, why);
        };
    }

    private List<Outcome> each(List<Long> vmIds, Map<Long, String> names, LongFunction<String> step) {
        List<Outcome> outcomes = new ArrayList<>();
        for (long vm : vmIds) {
            try {
                outcomes.add(new Outcome("VM " + names.get(vm), true, step.apply(vm), null));
            } catch (RuleViolation | NotFoundException e) {
                outcomes.add(new Outcome("VM " + names.get(vm), false, e.getMessage(), null));
            }
        }
        return outcomes;
    }

    /** One scoped plan per fabric any of the VMs has a WWPN pair on. */
    private List<Outcome> plan(List<Long> vmIds, String user, ChangeReason why) {
        UUID batch = UUID.randomUUID();
        Map<Long, String> fabrics = new LinkedHashMap<>();
        Set<Long> chosen = new LinkedHashSet<>(vmIds);
        for (long vm : vmIds) {
            inventory.initiatorsOfVm(vm).forEach(pair -> fabrics.put(pair.fabricId(), pair.fabricName()));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Map.Entry<Long, String> fabric : fabrics.entrySet()) {
            try {
                var planned = changeSets.plan(fabric.getKey(), new ChangeSetService.PlanScope(chosen, Set.of()), user,
                        why, batch);
                outcomes.add(new Outcome("fabric " + fabric.getValue(), true, planned.isPresent()
                        ? "change set " + planned.get().getId() + " to review" : "already as granted",
                        planned.map(ChangeSet::getId).orElse(null)));
            } catch (RuleViolation e) {
                outcomes.add(new Outcome("fabric " + fabric.getValue(), false, e.getMessage(), null));
            }
        }
        if (fabrics.isEmpty()) {
            outcomes.add(new Outcome("VMs", false, "none of them has a WWPN pair on any fabric yet", null));
        }
        return outcomes;
    }
}
