package org.vfzone.inventory;

import java.util.List;

/**
 * A VM's storage paths, fabric by fabric: its WWPN pair there and the VFs it holds on adapters cabled there.
 *
 * @param fabrics one entry per fabric the VM has an identity or a VF on, or its host can reach
 */
public record VmPaths(List<FabricPath> fabrics) {

    /** Fabrics on which the VM has both a WWPN pair and at least one VF: a usable path. */
    public long usableFabricCount() {
        return fabrics.stream().filter(FabricPath::usable).count();
    }

    /** Fewer than two fabrics means no fabric-level redundancy: one fabric outage cuts storage access. */
    public boolean singleFabricOnly() {
        return usableFabricCount() < 2;
    }

    public record FabricPath(Fabric fabric, VmFabricIdentity identity, List<VirtualFunction> vfs, long freeVfsOnHost) {
        public boolean usable() {
            return identity != null && !vfs.isEmpty();
        }
    }
}
