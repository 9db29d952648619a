package org.vfzone.wwn;

/**
 * Where a WWN is in use.
 *
 * @param ownerTable  table holding it (adapter, vm, vm_fabric_identity, target_port)
 * @param ownerColumn column holding it
 * @param ownerId     row id
 * @param description for people: "active WWPN of VM web01 on fabric FAB-A"
 */
public record WwnUsage(String ownerTable, String ownerColumn, long ownerId, String description) {

    public boolean isOwnedBy(String table, String column, Long id) {
        return ownerTable.equals(table) && ownerColumn.equals(column) && id != null && ownerId == id;
    }
}
