package org.vfzone.connection;

import java.net.http.HttpClient;

import org.vfzone.fabric.FabricDriver;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricVendor;

/**
 * Makes the drivers of one vendor's fabrics. Each vendor's factory is a Spring bean: the switch protocols' ones are
 * always there ({@link SwitchProtocolDrivers}); the simulated fabric's is added by demo mode and the tests only, so a
 * production node has no driver that keeps zoning in its own memory.
 */
public interface FabricDriverFactory {

    FabricVendor vendor();

    /** Whether the driver reaches a switch, so the fabric needs a stored management URL, user and password. */
    default boolean reachesASwitch() {
        return true;
    }

    /**
     * The driver of one fabric.
     *
     * @param endpoint the stored connection; null for a vendor that reaches no switch
     * @param client   the HTTP client to share, for the endpoint's trust setting; null likewise
     */
    FabricDriver driver(long fabricId, FabricEndpoint endpoint, HttpClient client);
}
