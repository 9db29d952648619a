package org.vfzone.zoning;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.inventory.StorageArray;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmDeleted;
import org.vfzone.inventory.VmService;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;
import org.vfzone.zoning.internal.StorageAccessRepository;

/** Grants and revokes a VM's access to storage arrays; zoning change sets carry it to the fabrics. */
@Service
@Transactional
public class StorageAccessService {

    private final StorageAccessRepository access;
    private final VmService vms;
    private final StorageArrayService arrays;
    private final AuditLog audit;
    private final Clock clock;
    private final InventoryDirectory inventory;

    StorageAccessService(StorageAccessRepository access, VmService vms, StorageArrayService arrays, AuditLog audit,
                         Clock clock, InventoryDirectory inventory) {
        this.inventory = inventory;
        this.access = access;
        this.vms = vms;
        this.arrays = arrays;
        this.audit = audit;
        this.clock = clock;
    }

    /** A VM's access to one array, with the names the inventory has for them now. */
    public record Grant(long id, long vmId, String vmName, long arrayId, String arrayName, String grantedBy,
                        Instant grantedAt) {
    }

    /** The arrays a VM may reach, by array name. */
    @Transactional(readOnly = true)
    public List<Grant> of(long vmId) {
        return grants(access.findByVmId(vmId));
    }

    /** The grants with their VM and array names, by array name and VM name. */
    List<Grant> grants(List<StorageAccess> granted) {
        return named(granted, inventory);
    }

    static List<Grant> named(List<StorageAccess> granted, InventoryDirectory inventory) {
        Map<Long, String> vmNames = inventory.vmNames(granted.stream().map(StorageAccess::getVmId).toList());
        Map<Long, String> arrayNames = inventory.arrayNames(granted.stream().map(StorageAccess::getArrayId).toList());
        return granted.stream().map(a -> new Grant(a.getId(), a.getVmId(), vmNames.get(a.getVmId()), a.getArrayId(),
                        arrayNames.get(a.getArrayId()), a.getGrantedBy(), a.getGrantedAt()))
                .sorted(Comparator.comparing(Grant::arrayName, String.CASE_INSENSITIVE_ORDER)
                        .thenComparing(Grant::vmName, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    public Grant grant(long vmId, Long arrayId, String user) {
        if (arrayId == null) {
            throw RuleViolation.invalid("arrayId", "choose a storage array");
        }
        Vm vm = vms.get(vmId);
        StorageArray array;
        try {
            array = arrays.get(arrayId);
        } catch (NotFoundException e) {
            throw RuleViolation.invalid("arrayId", "storage array " + arrayId + " does not exist");
        }
        if (access.existsByVmIdAndArrayId(vmId, arrayId)) {
            throw RuleViolation.conflict("arrayId", "VM " + vm.getName() + " already has access to "
                    + array.getName());
        }
        StorageAccess granted = access.save(new StorageAccess(vm.getId(), array.getId(), user, clock.instant()));
        audit.record(user, "GRANT_ACCESS", "vm", vmId, "VM " + vm.getName() + " may reach array " + array.getName()
                + "; plan the fabrics to zone it", null);
        return new Grant(granted.getId(), vm.getId(), vm.getName(), array.getId(), array.getName(), user,
                granted.getGrantedAt());
    }

    public void revoke(long vmId, long accessId, String user) {
        Grant granted = access.findById(accessId)
                .filter(a -> a.getVmId().equals(vmId))
                .map(a -> grants(List.of(a)).get(0))
                .orElseThrow(() -> new NotFoundException("Storage access", accessId));
        access.deleteById(accessId);
        audit.record(user, "REVOKE_ACCESS", "vm", vmId, "VM " + granted.vmName() + " may no longer reach "
                + "array " + granted.arrayName() + "; plan the fabrics to remove its zones", null);
    }

    /** A deleted VM loses its storage access in the same transaction; the next plan removes its zones. */
    @EventListener
    void vmDeleted(VmDeleted deleted) {
        for (Grant each : of(deleted.vmId())) {
            access.deleteById(each.id());
            audit.record(deleted.user(), "REVOKE_ACCESS", "vm", deleted.vmId(), "VM " + deleted.vmName()
                    + " was deleted, so it may no longer reach array " + each.arrayName()
                    + "; plan the fabrics to remove its zones", null);
        }
        access.flush();
    }
}
