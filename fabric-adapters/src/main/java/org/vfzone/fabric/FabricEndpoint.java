package org.vfzone.fabric;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * How to reach one fabric's zoning service.
 *
 * @param vendor          which driver speaks to it
 * @param baseUrl         e.g. {@code https://switch-a:443} (Brocade) or {@code https://mds-b:8443} (Cisco)
 * @param username        switch account
 * @param password        its password; never logged
 * @param virtualFabricId Brocade {@code vf-id} or Cisco VSAN; null for the Brocade default logical switch
 * @param timeout         per request
 * @param smartZoning     Cisco: mark members {@code init}/{@code target}
 * @param pinnedCertificateSha256 for https: trust exactly the certificate with this SHA-256 fingerprint instead
 *                        of the JDK's trusted authorities; null verifies the certificate as usual
 */
public record FabricEndpoint(FabricVendor vendor, URI baseUrl, String username, String password,
                             Integer virtualFabricId, Duration timeout, boolean smartZoning,
                             String pinnedCertificateSha256) {

    public FabricEndpoint(FabricVendor vendor, URI baseUrl, String username, String password, Integer virtualFabricId,
                          Duration timeout, boolean smartZoning) {
        this(vendor, baseUrl, username, password, virtualFabricId, timeout, smartZoning, null);
    }

    /** An HTTP client for this endpoint: certificates verified, or the pinned one only. */
    public HttpClient newClient() {
        return HttpConversation.newClient(timeout, pinnedCertificateSha256);
    }

    @Override
    public String toString() {
        return vendor.code() + " " + baseUrl + " as " + username + (virtualFabricId == null ? "" : " vf " + virtualFabricId);
    }
}
