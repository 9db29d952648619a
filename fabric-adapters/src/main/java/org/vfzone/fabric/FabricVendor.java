package org.vfzone.fabric;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of fabric vfzone can drive; {@link #code()} is the value stored and shown in the inventory. */
public enum FabricVendor {
    SIMULATED("simulated", "Simulated (no switch)"),
    BROCADE_FOS_REST("brocade-fos-rest", "Brocade FOS REST API"),
    CISCO_MDS_NXAPI("cisco-mds-nxapi", "Cisco MDS NX-API");

    private final String code;
    private final String label;

    FabricVendor(String code, String label) {
        this.code = code;
        this.label = label;
    }

    public String code() {
        return code;
    }

    public String label() {
        return label;
    }

    public static Optional<FabricVendor> fromCode(String code) {
        return Arrays.stream(values()).filter(v -> v.code.equalsIgnoreCase(code)).findFirst();
    }
}
