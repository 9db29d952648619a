package org.vfzone.inventory;

public enum Hypervisor {
    ESXI("VMware ESXi"), HYPER_V("Microsoft Hyper-V"), KVM("KVM");

    private final String label;

    Hypervisor(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
