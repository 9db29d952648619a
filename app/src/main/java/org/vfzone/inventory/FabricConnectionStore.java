package org.vfzone.inventory;

import java.util.Map;

/**
 * Where and how vfzone reaches a fabric's switch: kept (and its password encrypted) by the module that connects to
 * switches. The fabric form carries these settings for the admin's convenience; the inventory stores none of them.
 */
public interface FabricConnectionStore {

    /** What the admin entered; a blank password keeps the stored one. */
    record Settings(String managementUrl, String managementUsername, String managementPassword,
                    String tlsCertificateSha256) {
    }

    /** What is stored, without the password. */
    record Stored(String managementUrl, String managementUsername, boolean passwordStored,
                  String tlsCertificateSha256) {

        public static final Stored NONE = new Stored(null, null, false, null);
    }

    /**
     * Stores a fabric's settings. {@code switchIdentityChanged}: the fabric now names another switch (vendor or
     * virtual fabric / VSAN changed), so a stored password must not follow it. Returns a note for the audit summary
     * (empty when there is nothing to say).
     */
    String save(long fabricId, Settings settings, boolean switchIdentityChanged);

    Stored of(long fabricId);

    Map<Long, Stored> all();
}
