package org.vfzone.zoning;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.vfzone.system.BaseEntity;

/**
 * "This VM may reach this storage array": the intent vfzone turns into zones on every shared fabric. The VM and the
 * array are the inventory's, referred to by id.
 */
@Entity
@Table(name = "storage_access")
public class StorageAccess extends BaseEntity {

    private Long vmId;
    private Long arrayId;
    private String grantedBy;
    private Instant grantedAt;

    protected StorageAccess() {
    }

    StorageAccess(long vmId, long arrayId, String grantedBy, Instant grantedAt) {
        this.vmId = vmId;
        this.arrayId = arrayId;
        this.grantedBy = grantedBy;
        this.grantedAt = grantedAt;
    }

    public Long getVmId() { return vmId; }
    public Long getArrayId() { return arrayId; }
    public String getGrantedBy() { return grantedBy; }
    public Instant getGrantedAt() { return grantedAt; }
}
