package org.vfzone.traffic;

import java.util.Locale;

/** Where an initiator's counters come from. */
public enum TrafficSource {
    /** vfzone's collector on the host, reading the HBA's fc_host statistics. */
    HOST("host collector"),
    /** The switch the initiator is logged in to (Cisco MDS SAN Analytics), totals of its flows. */
    SWITCH("switch analytics"),
    /** vCenter's performance counters of the VM's virtual disks: per VM, not per fabric. */
    VCENTER("vCenter");

    private final String label;

    TrafficSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** As stored in {@code traffic_source_change.source}. */
    String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    static TrafficSource ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
