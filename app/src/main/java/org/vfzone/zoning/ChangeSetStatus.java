package org.vfzone.zoning;

/** Where a change set is in plan → approve → push → verify. */
public enum ChangeSetStatus {
    PLANNED, APPROVED, PUSHING, DONE, FAILED, STALE, CANCELLED;

    public boolean open() {
        return this == PLANNED || this == APPROVED || this == PUSHING;
    }
}
