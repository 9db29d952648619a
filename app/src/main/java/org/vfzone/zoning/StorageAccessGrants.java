package org.vfzone.zoning;

import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.ArrayGrants;
import org.vfzone.zoning.internal.StorageAccessRepository;

/** The zoning module's answer to "who may reach this array", for the inventory's delete rules. */
@Component
@Transactional
class StorageAccessGrants implements ArrayGrants {

    private final StorageAccessRepository access;
    private final AuditLog audit;

    StorageAccessGrants(StorageAccessRepository access, AuditLog audit) {
        this.access = access;
        this.audit = audit;
    }

    @Override
    @Transactional(readOnly = true)
    public List<String> vmsWithAccess(long arrayId) {
        return access.findByArrayIdOrderByVmNameAsc(arrayId).stream().map(a -> a.getVm().getName()).toList();
    }

    @Override
    @Transactional(readOnly = true)
    public Set<Long> vmIdsWithAccess(long arrayId) {
        return Set.copyOf(access.vmIdsByArrayId(arrayId));
    }

    @Override
    public void revokeAll(long arrayId) {
        for (StorageAccess granted : access.findByArrayIdOrderByVmNameAsc(arrayId)) {
            access.delete(granted);
            audit.change("REVOKE_ACCESS", "vm", granted.getVm().getId(), "VM " + granted.getVm().getName()
                    + " may no longer reach array " + granted.getArray().getName() + " (revoked with the array's "
                    + "deletion); plan the fabrics to remove its zones", null, null);
        }
        access.flush();
    }
}
