package org.vfzone.hypervisor;

import org.vfzone.system.RuleViolation;

/** The hypervisors vfzone writes a VM's NPIV configuration for, each in the form its own tools take. */
public enum HypervisorKind {
    /** vCenter: {@code VirtualMachineConfigSpec} NPIV fields, as JSON and as a PowerCLI script. */
    VSPHERE("vSphere"),
    /** Hyper-V: {@code Add-VMFibreChannelHba} with WWN set A (active) and set B (standby), per virtual SAN. */
    HYPERV("Hyper-V"),
    /** KVM/libvirt: an NPIV vHBA node device per fabric, and the SR-IOV VFs as PCI host devices. */
    LIBVIRT("KVM / libvirt");

    public final String label;

    HypervisorKind(String label) {
        this.label = label;
    }

    /** {@code vsphere}, {@code hyperv} or {@code libvirt}, in any case. */
    public static HypervisorKind parse(String kind) {
        for (HypervisorKind value : values()) {
            if (value.name().equalsIgnoreCase(kind == null ? "" : kind.strip())) {
                return value;
            }
        }
        throw RuleViolation.invalid("kind", "must be vsphere, hyperv or libvirt");
    }
}
