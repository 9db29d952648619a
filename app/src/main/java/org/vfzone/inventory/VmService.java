package org.vfzone.inventory;

import static org.vfzone.system.Texts.blankToNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.internal.AdapterRepository;
import org.vfzone.inventory.internal.VirtualFunctionRepository;
import org.vfzone.inventory.internal.VmFabricIdentityRepository;
import org.vfzone.inventory.internal.VmRepository;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnAllocator;
import org.vfzone.wwn.WwnPurpose;

/** VMs, their NPIV identity (WWNN + per-fabric WWPN pairs) and their VF assignments. */
@Service
@Transactional
public class VmService {

    private final AuditLog audit;
    private final VmRepository vms;
    private final VmFabricIdentityRepository identities;
    private final VirtualFunctionRepository vfs;
    private final AdapterRepository adapters;
    private final HostService hosts;
    private final WwnAllocator allocator;
    private final ApplicationEventPublisher events;

    VmService(VmRepository vms, VmFabricIdentityRepository identities, VirtualFunctionRepository vfs,
              AdapterRepository adapters, HostService hosts, WwnAllocator allocator,
              AuditLog audit,
              ApplicationEventPublisher events) {
        this.events = events;
        this.vms = vms;
        this.audit = audit;
        this.identities = identities;
        this.vfs = vfs;
        this.adapters = adapters;
        this.hosts = hosts;
        this.allocator = allocator;
    }

    @Transactional(readOnly = true)
    public Vm get(long id) {
        return vms.findById(id).orElseThrow(() -> new NotFoundException("VM", id));
    }

    /** Whether the VM is (still) in the inventory: a job or a policy may outlive it. */
    @Transactional(readOnly = true)
    public boolean exists(long id) {
        return vms.existsById(id);
    }

    @Transactional(readOnly = true)
    public Optional<Vm> findByName(String name) {
        return vms.findByNameIgnoreCase(name == null ? "" : name);
    }

    public Vm create(VmForm form) {
        String name = form.name().strip();
        if (vms.existsByNameIgnoreCase(name)) {
            throw RuleViolation.conflict("name", "a VM named " + name + " already exists");
        }
        UUID uuid = uuidOf(form);
        if (vms.existsByUuid(uuid)) {
            throw RuleViolation.conflict("uuid", "another VM already has UUID " + uuid);
        }
        Vm vm = new Vm(name, uuid, hostForField(form.hostId()));
        vm.setCluster(blankToNull(form.cluster()) != null ? blankToNull(form.cluster()) : vm.getHost().getCluster());
        Vm saved = vms.save(vm);
        audit.change("CREATE", "vm", saved.getId(), "Created VM " + saved.getName(), null, VmForm.of(saved));
        return saved;
    }

    /**
     * Updates a VM. Moving it to another host releases the VFs it held on the old host (a VM can only use VFs of
     * the host it runs on); its WWPN pairs stay, so the one-click action can give it VFs on the new host.
     */
    public Vm update(long id, VmForm form) {
        Vm vm = get(id);
        String name = form.name().strip();
        if (vms.existsByNameIgnoreCaseAndIdNot(name, id)) {
            throw RuleViolation.conflict("name", "a VM named " + name + " already exists");
        }
        UUID uuid = uuidOf(form);
        if (vms.existsByUuidAndIdNot(uuid, id)) {
            throw RuleViolation.conflict("uuid", "another VM already has UUID " + uuid);
        }
        VmForm before = VmForm.of(vm);
        Host newHost = hostForField(form.hostId());
        if (!newHost.getId().equals(vm.getHost().getId())) {
            vfs.findByVmIdOrderByAdapterPciAddressAscVfIndexAsc(id).forEach(VirtualFunction::release);
            vm.setHost(newHost);
        }
        vm.setName(name);
        vm.setUuid(uuid);
        vm.setCluster(blankToNull(form.cluster()));
        audit.change("UPDATE", "vm", id, "Changed VM " + vm.getName(), before, VmForm.of(vm));
        return vm;
    }

    /** Deletes a VM: frees its VFs and sends its WWNs to quarantine, all in one transaction. */
    public void delete(long id, String user) {
        Vm vm = get(id);
        events.publishEvent(new VmDeleted(id, vm.getName(), user));
        vfs.findByVmIdOrderByAdapterPciAddressAscVfIndexAsc(id).forEach(VirtualFunction::release);
        for (VmFabricIdentity identity : identities.findByVmIdOrderByFabricNameAsc(id)) {
            allocator.release(identity.getActiveWwpn(), user);
            allocator.release(identity.getStandbyWwpn(), user);
            identities.delete(identity);
        }
        if (vm.getWwnn() != null) {
            allocator.release(vm.getWwnn(), user);
        }
        vfs.flush();
        vms.delete(vm);
        audit.change("DELETE", "vm", id, "Deleted VM " + vm.getName() + "; its WWNs went to quarantine",
                VmForm.of(vm), null);
    }

    @Transactional(readOnly = true)
    public VmPaths paths(long vmId) {
        Vm vm = get(vmId);
        Map<Long, Fabric> fabrics = new LinkedHashMap<>();
        Map<Long, VmFabricIdentity> identityByFabric = new LinkedHashMap<>();
        Map<Long, List<VirtualFunction>> vfsByFabric = new LinkedHashMap<>();
        Map<Long, Long> freeByFabric = new LinkedHashMap<>();
        for (VmFabricIdentity identity : identities.findByVmIdOrderByFabricNameAsc(vmId)) {
            fabrics.put(identity.getFabric().getId(), identity.getFabric());
            identityByFabric.put(identity.getFabric().getId(), identity);
        }
        for (VirtualFunction vf : vfs.findByVmIdOrderByAdapterPciAddressAscVfIndexAsc(vmId)) {
            Fabric fabric = vf.getAdapter().getFabric();
            if (fabric != null) {
                fabrics.put(fabric.getId(), fabric);
                vfsByFabric.computeIfAbsent(fabric.getId(), k -> new ArrayList<>()).add(vf);
            }
        }
        for (VirtualFunction vf : vfs.findFreeOnHost(vm.getHost().getId())) {
            Fabric fabric = vf.getAdapter().getFabric();
            if (fabric != null) {
                fabrics.put(fabric.getId(), fabric);
                freeByFabric.merge(fabric.getId(), 1L, Long::sum);
            }
        }
        List<VmPaths.FabricPath> paths = fabrics.values().stream()
                .sorted(Comparator.comparing(Fabric::getName))
                .map(f -> new VmPaths.FabricPath(f, identityByFabric.get(f.getId()),
                        vfsByFabric.getOrDefault(f.getId(), List.of()), freeByFabric.getOrDefault(f.getId(), 0L)))
                .toList();
        return new VmPaths(paths);
    }

    /**
     * The one-click action: gives the VM a WWNN if it has none, and on every fabric its host's adapters reach,
     * a WWPN pair (if missing) and one VF (if it has none there). Everything happens in one transaction: if any
     * fabric cannot be served (pool exhausted…), nothing is allocated.
     *
     * @return what was done, one line per action
     */
    public List<String> allocateIdentityAndAssignVfs(long vmId, long poolId, String user) {
        return allocateIdentityAndAssignVfs(vmId, poolId, user, null);
    }

    /** As above, on the chosen fabrics only ({@code onlyFabrics} null or empty: every fabric the host reaches). */
    public List<String> allocateIdentityAndAssignVfs(long vmId, long poolId, String user,
                                                     Set<Long> onlyFabrics) {
        Vm vm = get(vmId);
        List<String> done = new ArrayList<>();
        if (vm.getWwnn() == null) {
            vm.setWwnn(allocator.allocate(poolId, WwnPurpose.WWNN, vm.getId(), vm.getName(), null, user));
            done.add("WWNN " + vm.getWwnn());
        }
        List<Fabric> reachable = adapters.findByHostIdOrderByPciAddressAsc(vm.getHost().getId()).stream()
                .map(Adapter::getFabric).filter(Objects::nonNull).distinct()
                .sorted(Comparator.comparing(Fabric::getName)).toList();
        if (onlyFabrics != null && !onlyFabrics.isEmpty()) {
            for (Long wanted : onlyFabrics) {
                if (reachable.stream().noneMatch(f -> f.getId().equals(wanted))) {
                    throw RuleViolation.invalid("fabricIds", "host " + vm.getHost().getName()
                            + " has no adapter cabled to fabric " + wanted);
                }
            }
            reachable = reachable.stream().filter(f -> onlyFabrics.contains(f.getId())).toList();
        }
        if (reachable.isEmpty()) {
            throw RuleViolation.conflict(null, "host " + vm.getHost().getName()
                    + " has no adapter cabled to a fabric; nothing to allocate");
        }
        List<VirtualFunction> held = vfs.findByVmIdOrderByAdapterPciAddressAscVfIndexAsc(vmId);
        for (Fabric fabric : reachable) {
            if (identities.findByVmIdAndFabricId(vmId, fabric.getId()).isEmpty()) {
                Wwn active = allocator.allocate(poolId, WwnPurpose.ACTIVE_WWPN, vm.getId(), vm.getName(),
                        fabric.getName(), user);
                Wwn standby = allocator.allocate(poolId, WwnPurpose.STANDBY_WWPN, vm.getId(), vm.getName(),
                        fabric.getName(), user);
                identities.save(new VmFabricIdentity(vm, fabric, active, standby));
                done.add("WWPN pair " + active + " / " + standby + " on " + fabric.getName());
            }
            boolean hasVf = held.stream().anyMatch(vf -> fabric.equals(vf.getAdapter().getFabric()));
            if (!hasVf) {
                VirtualFunction vf = vfs.findFree(vm.getHost().getId(), fabric.getId()).stream()
                        .filter(candidate -> hasNpivLoginLeft(candidate.getAdapter()))
                        .findFirst()
                        .orElseThrow(() -> RuleViolation.conflict(null, "host " + vm.getHost().getName()
                                + " has no free VF on fabric " + fabric.getName()));
                vf.assignTo(vm);
                done.add("VF " + vf.getPciAddress() + " on " + fabric.getName());
            }
        }
        identities.flush();
        if (!done.isEmpty()) {
            audit.change("ALLOCATE", "vm", vmId, "Allocated for VM " + vm.getName() + ": " + String.join("; ", done),
                    null, done);
        }
        return done;
    }

    /** Assigns one specific VF to the VM: it must be free, on the VM's current host, within the NPIV login limit. */
    public VirtualFunction assignVf(long vmId, long vfId) {
        Vm vm = get(vmId);
        VirtualFunction vf = vfs.findById(vfId)
                .orElseThrow(() -> RuleViolation.invalid("vfId", "VF " + vfId + " does not exist"));
        Adapter adapter = adapters.findByIdForUpdate(vf.getAdapter().getId()).orElseThrow();
        if (!adapter.getHost().getId().equals(vm.getHost().getId())) {
            throw RuleViolation.invalid("vfId", "VF " + vf.getPciAddress() + " belongs to host "
                    + adapter.getHost().getName() + ", but VM " + vm.getName() + " runs on "
                    + vm.getHost().getName());
        }
        if (vf.getVm() != null) {
            if (vf.getVm().getId().equals(vmId)) {
                return vf;
            }
            throw RuleViolation.conflict("vfId", "VF " + vf.getPciAddress() + " is already assigned to VM "
                    + vf.getVm().getName());
        }
        if (!hasNpivLoginLeft(adapter)) {
            throw RuleViolation.conflict("vfId", "adapter " + adapter.getLabel() + " has reached its "
                    + adapter.getMaxNpivVports() + " NPIV logins");
        }
        vf.assignTo(vm);
        audit.change("ASSIGN_VF", "vm", vmId, "Assigned VF " + vf.getPciAddress() + " to VM " + vm.getName(), null,
                vf.getPciAddress());
        return vf;
    }

    public void unassignVf(long vmId, long vfId) {
        VirtualFunction vf = vfs.findById(vfId).orElseThrow(() -> new NotFoundException("VF", vfId));
        if (vf.getVm() == null || !vf.getVm().getId().equals(vmId)) {
            throw RuleViolation.conflict("vfId", "VF " + vf.getPciAddress() + " is not assigned to this VM");
        }
        String vmName = vf.getVm().getName();
        vf.release();
        audit.change("UNASSIGN_VF", "vm", vmId, "Unassigned VF " + vf.getPciAddress() + " from VM " + vmName,
                vf.getPciAddress(), null);
    }

    /** Releases the VM's WWPN pair on one fabric (to quarantine); refused while it still holds VFs there. */
    public void releaseIdentity(long vmId, long fabricId, String user) {
        VmFabricIdentity identity = identities.findByVmIdAndFabricId(vmId, fabricId)
                .orElseThrow(() -> new NotFoundException("WWPN pair of VM " + vmId + " on fabric", fabricId));
        boolean vfOnFabric = vfs.findByVmIdOrderByAdapterPciAddressAscVfIndexAsc(vmId).stream()
                .anyMatch(vf -> vf.getAdapter().getFabric() != null
                        && vf.getAdapter().getFabric().getId().equals(fabricId));
        if (vfOnFabric) {
            throw RuleViolation.conflict(null, "the VM still logs in to fabric "
                    + identity.getFabric().getName() + " through a VF; unassign it first");
        }
        allocator.release(identity.getActiveWwpn(), user);
        allocator.release(identity.getStandbyWwpn(), user);
        identities.delete(identity);
        audit.change("RELEASE_WWPNS", "vm", vmId, "Released the WWPN pair of VM " + identity.getVm().getName()
                + " on fabric " + identity.getFabric().getName() + " to quarantine", List.of(
                identity.getActiveWwpn().toString(), identity.getStandbyWwpn().toString()), null);
    }

    /** NPIV logins the adapter can still take: its vport limit less the VFs assigned on it. */
    @Transactional(readOnly = true)
    public long npivLoginsLeft(Adapter adapter) {
        return adapter.getMaxNpivVports() - vfs.countByAdapterIdAndVmIsNotNull(adapter.getId());
    }

    /**
     * Moves the VM to another host with its storage paths: its VFs on the old host are freed, and on each fabric
     * it held one it gets a free VF of the new host (within the adapters' NPIV login limits). Its WWNs stay, so
     * its zones stay. One transaction: with any fabric unservable on the new host, nothing moves.
     *
     * @return what was done, one line per action
     */
    public List<String> moveTo(long vmId, long hostId, String user) {
        Vm vm = get(vmId);
        Host from = vm.getHost();
        Host to = hostForField(hostId);
        if (to.getId().equals(from.getId())) {
            throw RuleViolation.invalid("hostId", "VM " + vm.getName() + " already runs on " + to.getName());
        }
        List<String> done = new ArrayList<>();
        Map<Long, Fabric> fabricsWithVf = new LinkedHashMap<>();
        for (VirtualFunction vf : vfs.findByVmIdOrderByAdapterPciAddressAscVfIndexAsc(vmId)) {
            if (vf.getAdapter().getFabric() != null) {
                fabricsWithVf.put(vf.getAdapter().getFabric().getId(), vf.getAdapter().getFabric());
            }
            vf.release();
            done.add("freed VF " + vf.getPciAddress() + " on " + from.getName());
        }
        vfs.flush();
        vm.setHost(to);
        if (to.getCluster() != null && !to.getCluster().isBlank()) {
            vm.setCluster(to.getCluster());
        }
        for (Fabric fabric : fabricsWithVf.values()) {
            VirtualFunction vf = vfs.findFree(to.getId(), fabric.getId()).stream()
                    .filter(candidate -> hasNpivLoginLeft(adapters.findByIdForUpdate(candidate.getAdapter().getId())
                            .orElseThrow()))
                    .findFirst()
                    .orElseThrow(() -> RuleViolation.conflict("hostId", "host " + to.getName()
                            + " has no free VF with an NPIV login left on fabric " + fabric.getName()));
            vf.assignTo(vm);
            done.add("VF " + vf.getPciAddress() + " on " + fabric.getName());
        }
        vfs.flush();
        audit.record(user, "MOVE", "vm", vmId, "Moved VM " + vm.getName() + " from " + from.getName() + " to "
                + to.getName() + ": " + String.join("; ", done), null);
        return done;
    }

    private boolean hasNpivLoginLeft(Adapter adapter) {
        return vfs.countByAdapterIdAndVmIsNotNull(adapter.getId()) < adapter.getMaxNpivVports();
    }

    private Host hostForField(Long hostId) {
        try {
            return hosts.get(hostId);
        } catch (NotFoundException e) {
            throw RuleViolation.invalid("hostId", "host " + hostId + " does not exist");
        }
    }

    private static UUID uuidOf(VmForm form) {
        return form.uuid() == null || form.uuid().isBlank() ? UUID.randomUUID() : UUID.fromString(form.uuid().strip());
    }
}
