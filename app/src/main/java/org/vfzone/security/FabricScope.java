package org.vfzone.security;

import java.util.Set;

/**
 * Where a role applies: on every fabric, or only on the fabrics listed (SANnav's "area of responsibility").
 * Planning, approving, pushing and adopting on a fabric check it; reading does not.
 */
public record FabricScope(boolean allFabrics, Set<Long> fabricIds) {

    public static final FabricScope ALL = new FabricScope(true, Set.of());

    public FabricScope {
        fabricIds = allFabrics || fabricIds == null ? Set.of() : Set.copyOf(fabricIds);
    }

    public static FabricScope only(Set<Long> fabricIds) {
        return new FabricScope(false, fabricIds);
    }

    public boolean covers(long fabricId) {
        return allFabrics || fabricIds.contains(fabricId);
    }
}
