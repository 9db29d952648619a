package org.vfzone.inventory;

import java.util.List;
import java.util.Set;

/**
 * Who may reach an array: kept by the zoning module, asked here so that an array or port is never deleted from
 * under a VM's access without the admin saying so.
 */
public interface ArrayGrants {

    /** Names of the VMs granted access to the array, sorted. */
    List<String> vmsWithAccess(long arrayId);

    /** Ids of the VMs granted access to the array. */
    Set<Long> vmIdsWithAccess(long arrayId);

    /** Revokes every grant on the array, each one audited; the next plan of each fabric removes their zones. */
    void revokeAll(long arrayId);
}
