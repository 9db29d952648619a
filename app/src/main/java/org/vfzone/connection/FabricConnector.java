package org.vfzone.connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.vfzone.fabric.FabricDriver;
import org.vfzone.fabric.FabricDrivers;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.simulated.SimulatedFabricDriver;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.system.RuleViolation;

/** Builds the vendor driver for a fabric from its inventory record and its stored connection. */
@Component
public class FabricConnector {

    private final FabricConnections connections;
    private final Duration timeout;
    /** One HTTP client per trust setting ("" verifies as usual, else the pinned fingerprint), shared by all drivers. */
    private final ConcurrentHashMap<String, HttpClient> clients =
            new ConcurrentHashMap<>();

    FabricConnector(FabricConnections connections,
                    @Value("${vfzone.fabric.request-timeout:20s}") Duration timeout) {
        this.connections = connections;
        this.timeout = timeout;
    }

    /** A driver for settings not saved yet (a connection test of the fabric form). */
    FabricDriver driver(FabricEndpoint endpoint) {
        String trust = endpoint.pinnedCertificateSha256() == null ? "" : endpoint.pinnedCertificateSha256();
        return FabricDrivers.create(endpoint, clients.computeIfAbsent(trust, key -> endpoint.newClient()));
    }

    public FabricDriver driver(Fabric fabric) {
        if (fabric.getVendor() == FabricVendor.SIMULATED) {
            return new SimulatedFabricDriver("simulated://fabric/" + fabric.getId());
        }
        FabricConnections.Endpoint stored = connections.endpoint(fabric.getId()).orElseThrow(() ->
                RuleViolation.conflict(null, "Fabric " + fabric.getName() + " needs a management URL, user and "
                        + "password before vfzone can read or change its zoning"));
        FabricEndpoint endpoint = new FabricEndpoint(fabric.getVendor(), URI.create(stored.managementUrl()),
                stored.managementUsername(), stored.password(), fabric.getVirtualFabricId(), timeout,
                fabric.getZoningPolicy() == ZoningPolicy.PEER, stored.tlsCertificateSha256());
        String trust = stored.tlsCertificateSha256() == null ? "" : stored.tlsCertificateSha256();
        return FabricDrivers.create(endpoint, clients.computeIfAbsent(trust, key -> endpoint.newClient()));
    }
}
