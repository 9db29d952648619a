package org.vfzone.zoning;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.vfzone.inventory.StorageArray;
import org.vfzone.inventory.Vm;
import org.vfzone.system.BaseEntity;

/** "This VM may reach this storage array": the intent vfzone turns into zones on every shared fabric. */
@Entity
@Table(name = "storage_access")
public class StorageAccess extends BaseEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "vm_id")
    private Vm vm;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "array_id")
    private StorageArray array;
    private String grantedBy;
    private Instant grantedAt;

    protected StorageAccess() {
    }

    StorageAccess(Vm vm, StorageArray array, String grantedBy, Instant grantedAt) {
        this.vm = vm;
        this.array = array;
        this.grantedBy = grantedBy;
        this.grantedAt = grantedAt;
    }

    public Vm getVm() { return vm; }
    public StorageArray getArray() { return array; }
    public String getGrantedBy() { return grantedBy; }
    public Instant getGrantedAt() { return grantedAt; }
}
