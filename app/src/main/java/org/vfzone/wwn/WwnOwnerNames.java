package org.vfzone.wwn;

import java.util.Collection;
import java.util.Map;

/**
 * Names the objects that hold WWNs ("adapter 0000:3b:00.0 on host esx01"), for the registry's answers. The registry
 * knows only the owner's table and id; the module owning those tables implements this.
 */
public interface WwnOwnerNames {

    /** The description of each owner of one table, by owner id; owners that no longer exist are left out. */
    Map<Long, String> describe(String ownerTable, Collection<Long> ownerIds);
}
