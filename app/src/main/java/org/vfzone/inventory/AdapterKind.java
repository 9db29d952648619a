package org.vfzone.inventory;

/** A Fibre Channel HBA, or a converged network adapter carrying FC (or FCoE). */
public enum AdapterKind {
    HBA, CNA
}
