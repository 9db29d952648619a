package org.vfzone.inventory;

/**
 * Published inside the transaction that deletes a VM, before the row goes: modules holding something of the VM
 * (zoning's storage access) end it in the same transaction and say so in the audit trail.
 */
public record VmDeleted(long vmId, String vmName, String user) {
}
