package org.vfzone.connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;
import org.vfzone.fabric.FabricDriver;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.system.RuleViolation;

/**
 * Builds the vendor driver for a fabric from its inventory record and its stored connection, with the driver factory
 * of its vendor ({@link FabricDriverFactory} beans).
 */
@Component
public class FabricConnector {

    private final FabricConnections connections;
    private final Duration timeout;
    private final Map<FabricVendor, FabricDriverFactory> factories = new EnumMap<>(FabricVendor.class);
    /** One HTTP client per trust setting ("" verifies as usual, else the pinned fingerprint), shared by all drivers. */
    private final ConcurrentHashMap<String, HttpClient> clients = new ConcurrentHashMap<>();

    FabricConnector(FabricConnections connections, List<FabricDriverFactory> factories,
                    ConnectionProperties properties) {
        this.connections = connections;
        this.timeout = properties.requestTimeout();
        for (FabricDriverFactory factory : factories) {
            if (this.factories.put(factory.vendor(), factory) != null) {
                throw new IllegalStateException("two driver factories for " + factory.vendor());
            }
        }
    }

    /** Whether this node can drive fabrics of the vendor (a simulated fabric only in demo mode and the tests). */
    public boolean drives(FabricVendor vendor) {
        return factories.containsKey(vendor);
    }

    /** Whether fabrics of the vendor are reached over the network, with stored settings. */
    public boolean reachesASwitch(FabricVendor vendor) {
        return factory(vendor, null).reachesASwitch();
    }

    /** A driver for settings not saved yet (a connection test of the fabric form). */
    FabricDriver driver(FabricEndpoint endpoint) {
        return factory(endpoint.vendor(), null).driver(0, endpoint, client(endpoint));
    }

    public FabricDriver driver(Fabric fabric) {
        FabricDriverFactory factory = factory(fabric.getVendor(), fabric);
        if (!factory.reachesASwitch()) {
            return factory.driver(fabric.getId(), null, null);
        }
        FabricConnections.Endpoint stored = connections.endpoint(fabric.getId()).orElseThrow(() ->
                RuleViolation.conflict(null, "Fabric " + fabric.getName() + " needs a management URL, user and "
                        + "password before vfzone can read or change its zoning"));
        FabricEndpoint endpoint = new FabricEndpoint(fabric.getVendor(), URI.create(stored.managementUrl()),
                stored.managementUsername(), stored.password(), fabric.getVirtualFabricId(), timeout,
                fabric.getZoningPolicy() == ZoningPolicy.PEER, stored.tlsCertificateSha256());
        return factory.driver(fabric.getId(), endpoint, client(endpoint));
    }

    private FabricDriverFactory factory(FabricVendor vendor, Fabric fabric) {
        FabricDriverFactory factory = factories.get(vendor);
        if (factory == null) {
            throw RuleViolation.conflict(null, (fabric == null ? "A " : "Fabric " + fabric.getName() + " is a ")
                    + vendor.code() + " fabric, which this node does not drive"
                    + (vendor == FabricVendor.SIMULATED ? ": simulated fabrics run in demo mode only" : ""));
        }
        return factory;
    }

    private HttpClient client(FabricEndpoint endpoint) {
        String trust = endpoint.pinnedCertificateSha256() == null ? "" : endpoint.pinnedCertificateSha256();
        return clients.computeIfAbsent(trust, key -> endpoint.newClient());
    }
}
