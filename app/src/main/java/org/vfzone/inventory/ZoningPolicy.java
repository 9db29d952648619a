package org.vfzone.inventory;

/** How vfzone shapes the zones of one VM and one array on a fabric. */
public enum ZoningPolicy {
    /** One zone per VM and target port: the VM's WWPN pair and that one port. */
    SINGLE_INITIATOR_SINGLE_TARGET("Single initiator, single target (one zone per target port)"),
    /** One zone per VM and array: the VM's WWPN pair and all the array's ports on the fabric. */
    SINGLE_INITIATOR_MULTI_TARGET("Single initiator, multiple targets (one zone per array)"),
    /** One peer zone (Brocade) / smart zone (Cisco) per VM and array: targets as principals. */
    PEER("Peer zone / smart zoning (targets as principals)");

    private final String label;

    ZoningPolicy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
