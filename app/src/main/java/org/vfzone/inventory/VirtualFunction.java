package org.vfzone.inventory;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.vfzone.system.BaseEntity;

/** An SR-IOV virtual function of an adapter; assigned to at most one VM, which logs in through it with NPIV. */
@Entity
@Table(name = "virtual_function")
public class VirtualFunction extends BaseEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "adapter_id")
    private Adapter adapter;
    private int vfIndex;
    private String pciAddress;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "vm_id")
    private Vm vm;

    protected VirtualFunction() {
    }

    public VirtualFunction(Adapter adapter, int vfIndex, String pciAddress) {
        this.adapter = adapter;
        this.vfIndex = vfIndex;
        this.pciAddress = pciAddress;
    }

    public Adapter getAdapter() { return adapter; }
    public int getVfIndex() { return vfIndex; }
    public String getPciAddress() { return pciAddress; }
    public Vm getVm() { return vm; }

    /** Free or assigned follows from whether a VM holds it; not stored separately so it cannot disagree. */
    public VfState getState() {
        return vm == null ? VfState.FREE : VfState.ASSIGNED;
    }

    void assignTo(Vm vm) {
        this.vm = vm;
    }

    void release() {
        this.vm = null;
    }

    public enum VfState { FREE, ASSIGNED }
}
