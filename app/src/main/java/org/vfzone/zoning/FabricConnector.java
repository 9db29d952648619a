package org.vfzone.zoning;

import java.net.URI;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.vfzone.fabric.FabricDriver;
import org.vfzone.fabric.FabricDrivers;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.security.CredentialCipher;
import org.vfzone.system.RuleViolation;

/** Builds the vendor driver for a fabric from its inventory record, decrypting the stored password. */
@Component
public class FabricConnector {

    private final CredentialCipher cipher;
    private final Duration timeout;
    /** One HTTP client per trust setting ("" verifies as usual, else the pinned fingerprint), shared by all drivers. */
    private final java.util.concurrent.ConcurrentHashMap<String, java.net.http.HttpClient> clients =
            new java.util.concurrent.ConcurrentHashMap<>();

    FabricConnector(CredentialCipher cipher, @Value("${vfzone.fabric.request-timeout:20s}") Duration timeout) {
        this.cipher = cipher;
        this.timeout = timeout;
    }

    public FabricDriver driver(Fabric fabric) {
        if (fabric.getVendor() == FabricVendor.SIMULATED) {
            return new org.vfzone.fabric.simulated.SimulatedFabricDriver("simulated://fabric/" + fabric.getId());
        }
        if (fabric.getManagementUrl() == null || fabric.getManagementUsername() == null
                || !fabric.hasManagementPassword()) {
            throw RuleViolation.conflict(null, "Fabric " + fabric.getName() + " needs a management URL, user and "
                    + "password before vfzone can read or change its zoning");
        }
        FabricEndpoint endpoint = new FabricEndpoint(fabric.getVendor(), URI.create(fabric.getManagementUrl()),
                fabric.getManagementUsername(), cipher.decrypt(fabric.getManagementPasswordEnc()),
                fabric.getVirtualFabricId(), timeout, fabric.getZoningPolicy() == ZoningPolicy.PEER,
                fabric.getTlsCertificateSha256());
        String trust = fabric.getTlsCertificateSha256() == null ? "" : fabric.getTlsCertificateSha256();
        return FabricDrivers.create(endpoint, clients.computeIfAbsent(trust, key -> endpoint.newClient()));
    }
}
