package org.vfzone.wwn;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.vfzone.system.BaseEntity;

/** One allocation of a pool WWN, kept after release as history and to enforce the quarantine. */
@Entity
@Table(name = "wwn_allocation")
public class WwnAllocation extends BaseEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "pool_id")
    private WwnPool pool;
    @Column(columnDefinition = "wwn")
    private Wwn wwn;
    @Enumerated(EnumType.STRING)
    private WwnPurpose purpose;
    private Long vmId;
    private String vmName;
    private String fabricName;
    private Instant allocatedAt;
    private String allocatedBy;
    private Instant releasedAt;
    private String releasedBy;
    private Instant reusableAfter;

    protected WwnAllocation() {
    }

    WwnAllocation(WwnPool pool, Wwn wwn, WwnPurpose purpose, Long vmId, String vmName, String fabricName,
                  String allocatedBy, Instant now) {
        this.pool = pool;
        this.wwn = wwn;
        this.purpose = purpose;
        this.vmId = vmId;
        this.vmName = vmName;
        this.fabricName = fabricName;
        this.allocatedBy = allocatedBy;
        this.allocatedAt = now;
    }

    void release(String user, Instant now, Instant reusableAfter) {
        this.releasedAt = now;
        this.releasedBy = user;
        this.reusableAfter = reusableAfter;
    }

    public WwnPool getPool() { return pool; }
    public Wwn getWwn() { return wwn; }
    public WwnPurpose getPurpose() { return purpose; }
    public Long getVmId() { return vmId; }
    public String getVmName() { return vmName; }
    public String getFabricName() { return fabricName; }
    public Instant getAllocatedAt() { return allocatedAt; }
    public String getAllocatedBy() { return allocatedBy; }
    public Instant getReleasedAt() { return releasedAt; }
    public String getReleasedBy() { return releasedBy; }
    public Instant getReusableAfter() { return reusableAfter; }

    public boolean isLive() {
        return releasedAt == null;
    }
}
