package org.vfzone.fabric;

import org.vfzone.fabric.brocade.BrocadeFosRestDriver;
import org.vfzone.fabric.cisco.CiscoMdsNxapiDriver;

/** The driver for an endpoint's vendor. */
public final class FabricDrivers {

    private FabricDrivers() {
    }

    public static FabricDriver create(FabricEndpoint endpoint) {
        return switch (endpoint.vendor()) {
            case BROCADE_FOS_REST -> new BrocadeFosRestDriver(endpoint);
            case CISCO_MDS_NXAPI -> new CiscoMdsNxapiDriver(endpoint);
            case SIMULATED -> throw new IllegalArgumentException("a simulated fabric has no protocol driver: "
                    + "fabric-emulators provides it");
        };
    }
}
