package org.vfzone.zoning;

import java.time.Clock;
import java.util.List;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
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

    StorageAccessService(StorageAccessRepository access, VmService vms, StorageArrayService arrays, AuditLog audit,
                         Clock clock) {
        this.access = access;
        this.vms = vms;
        this.arrays = arrays;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<StorageAccess> of(long vmId) {
        return access.findByVmIdOrderByArrayNameAsc(vmId);
    }

    public StorageAccess grant(long vmId, Long arrayId, String user) {
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
        StorageAccess granted = access.save(new StorageAccess(vm, array, user, clock.instant()));
        audit.record(user, "GRANT_ACCESS", "vm", vmId, "VM " + vm.getName() + " may reach array " + array.getName()
                + "; plan the fabrics to zone it", null);
        return granted;
    }

    public void revoke(long vmId, long accessId, String user) {
        StorageAccess granted = access.findById(accessId)
                .filter(a -> a.getVm().getId().equals(vmId))
                .orElseThrow(() -> new NotFoundException("Storage access", accessId));
        access.delete(granted);
        audit.record(user, "REVOKE_ACCESS", "vm", vmId, "VM " + granted.getVm().getName() + " may no longer reach "
                + "array " + granted.getArray().getName() + "; plan the fabrics to remove its zones", null);
    }

    /** A deleted VM loses its storage access in the same transaction; the next plan removes its zones. */
    @EventListener
    void vmDeleted(VmDeleted deleted) {
        List<StorageAccess> granted = access.findByVmIdOrderByArrayNameAsc(deleted.vmId());
        for (StorageAccess each : granted) {
            access.delete(each);
            audit.record(deleted.user(), "REVOKE_ACCESS", "vm", deleted.vmId(), "VM " + deleted.vmName()
                    + " was deleted, so it may no longer reach array " + each.getArray().getName()
                    + "; plan the fabrics to remove its zones", null);
        }
        access.flush();
    }
}
