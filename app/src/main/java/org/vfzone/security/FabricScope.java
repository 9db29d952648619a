package org.vfzone.security;

import java.sql.Array;
import java.sql.SQLException;
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

    /** A scope as rows carry it: the all-fabrics flag and an SQL array of fabric ids. */
    static FabricScope of(boolean allFabrics, Array fabricIds) throws SQLException {
        return new FabricScope(allFabrics, fabricIds == null ? Set.of() : Set.of((Long[]) fabricIds.getArray()));
    }

    public boolean covers(long fabricId) {
        return allFabrics || fabricIds.contains(fabricId);
    }
}
