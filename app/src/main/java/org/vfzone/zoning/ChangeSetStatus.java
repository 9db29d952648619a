package org.vfzone.zoning;

/** Where a change set is in plan → approve → push → verify. */
public enum ChangeSetStatus {
    PLANNED("planned"), APPROVED("approved"), PUSHING("pushing"), DONE("done"), FAILED("failed"), STALE("stale"),
    CANCELLED("cancelled");

    private final String label;

    ChangeSetStatus(String label) {
        this.label = label;
    }

    /** The status in the words the pages use. */
    public String getLabel() {
        return label;
    }

    public boolean open() {
        return this == PLANNED || this == APPROVED || this == PUSHING;
    }
}
