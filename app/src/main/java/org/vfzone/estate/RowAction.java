package org.vfzone.estate;

/** What importing a row did to the stored estate. */
public enum RowAction {
    CREATE, UPDATE, UNCHANGED
}
