package org.vfzone.inventory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.vfzone.system.BaseEntity;
import org.vfzone.wwn.Wwn;

/**
 * The VM's WWPN pair on one fabric. Both are zoned: during a live migration the destination host logs in with the
 * standby WWPN while the source still holds the active one, so storage access never drops.
 */
@Entity
@Table(name = "vm_fabric_identity")
public class VmFabricIdentity extends BaseEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "vm_id")
    private Vm vm;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "fabric_id")
    private Fabric fabric;
    @Column(columnDefinition = "wwn")
    private Wwn activeWwpn;
    @Column(columnDefinition = "wwn")
    private Wwn standbyWwpn;

    protected VmFabricIdentity() {
    }

    VmFabricIdentity(Vm vm, Fabric fabric, Wwn activeWwpn, Wwn standbyWwpn) {
        this.vm = vm;
        this.fabric = fabric;
        this.activeWwpn = activeWwpn;
        this.standbyWwpn = standbyWwpn;
    }

    public Vm getVm() { return vm; }
    public Fabric getFabric() { return fabric; }
    public Wwn getActiveWwpn() { return activeWwpn; }
    public Wwn getStandbyWwpn() { return standbyWwpn; }
}
