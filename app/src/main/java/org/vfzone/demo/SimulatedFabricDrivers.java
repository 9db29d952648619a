package org.vfzone.demo;

import java.net.http.HttpClient;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.vfzone.connection.FabricDriverFactory;
import org.vfzone.fabric.FabricDriver;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.simulated.SimulatedFabricDriver;

/**
 * Drivers of simulated fabrics, whose zoning lives in this node's memory: demo mode and the tests only
 * ({@code vfzone.fabric.simulated-allowed}); without it a node has no such driver and refuses simulated fabrics.
 */
@Component
@ConditionalOnProperty(name = "vfzone.fabric.simulated-allowed", havingValue = "true")
class SimulatedFabricDrivers implements FabricDriverFactory {

    @Override
    public FabricVendor vendor() {
        return FabricVendor.SIMULATED;
    }

    @Override
    public boolean reachesASwitch() {
        return false;
    }

    @Override
    public FabricDriver driver(long fabricId, FabricEndpoint endpoint, HttpClient client) {
        return new SimulatedFabricDriver("simulated://fabric/" + fabricId);
    }
}
