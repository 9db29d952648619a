package org.vfzone.zoning;

import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.ArrayGrants;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.zoning.internal.StorageAccessRepository;

/** The zoning module's answer to "who may reach this array", for the inventory's delete rules. */
@Component
@Transactional
class StorageAccessGrants implements ArrayGrants {

    private final StorageAccessRepository access;
    private final AuditLog audit;
    private final InventoryDirectory inventory;

    StorageAccessGrants(StorageAccessRepository access, AuditLog audit, InventoryDirectory inventory) {
        this.inventory = inventory;
        this.access = access;
        this.audit = audit;
    }

    @Override
    @Transactional(readOnly = true)
    public List<String> vmsWithAccess(long arrayId) {
        return StorageAccessService.named(access.findByArrayId(arrayId), inventory).stream().map(StorageAccessService.Grant::vmName)
                .sorted(String.CASE_INSENSITIVE_ORDER).toList();
    }

    @Override
    @Transactional(readOnly = true)
    public Set<Long> vmIdsWithAccess(long arrayId) {
        return Set.copyOf(access.vmIdsByArrayId(arrayId));
    }

    @Override
    public void revokeAll(long arrayId) {
        for (StorageAccessService.Grant granted : StorageAccessService.named(access.findByArrayId(arrayId), inventory)) {
            access.deleteById(granted.id());
            audit.change("REVOKE_ACCESS", "vm", granted.vmId(), "VM " + granted.vmName()
                    + " may no longer reach array " + granted.arrayName() + " (revoked with the array's "
                    + "deletion); plan the fabrics to remove its zones", null, null);
        }
        access.flush();
    }
}
