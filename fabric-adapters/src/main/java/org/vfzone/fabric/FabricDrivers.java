package org.vfzone.fabric;

import java.net.http.HttpClient;

import org.vfzone.fabric.brocade.BrocadeFosRestDriver;
import org.vfzone.fabric.cisco.CiscoMdsNxapiDriver;

/** The driver for an endpoint's vendor. */
public final class FabricDrivers {

    private FabricDrivers() {
    }

    public static FabricDriver create(FabricEndpoint endpoint) {
        return create(endpoint, endpoint.newClient());
    }

    /**
     * The driver over {@code client}: an HTTP client holds a connection pool and a selector thread, so an
     * application shares one per trust setting instead of making one per plan, push or drift check.
     */
    public static FabricDriver create(FabricEndpoint endpoint, HttpClient client) {
        return switch (endpoint.vendor()) {
            case BROCADE_FOS_REST -> new BrocadeFosRestDriver(endpoint, client);
            case CISCO_MDS_NXAPI -> new CiscoMdsNxapiDriver(endpoint, client);
            case SIMULATED -> throw new IllegalArgumentException("a simulated fabric has no protocol driver: "
                    + "fabric-emulators provides it");
        };
    }
}
