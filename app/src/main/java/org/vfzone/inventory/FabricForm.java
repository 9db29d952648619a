package org.vfzone.inventory;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record FabricForm(
        @NotBlank @Size(max = 64) @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                message = "must start with a letter or digit and hold only letters, digits, '_', '-' and '.'")
        String name,
        @NotBlank @Size(max = 32) String side,
        @NotBlank @Pattern(regexp = "simulated|brocade-fos-rest|cisco-mds-nxapi",
                message = "must be one of simulated, brocade-fos-rest, cisco-mds-nxapi") String vendor,
        @Min(1) @Max(4094) Integer virtualFabricId,
        @Size(max = 255) @Pattern(regexp = "^$|^https?://\\S+$", message = "must be an http:// or https:// URL")
        String managementUrl,
        @Size(max = 128) String managementUsername,
        @Size(max = 255) String description,
        ZoningPolicy zoningPolicy,
        @Size(max = 64) @Pattern(regexp = "^$|^[A-Za-z][A-Za-z0-9_$^{}-]*$",
                message = "must start with a letter; placeholders {vm}, {array}, {port}") String zoneNameTemplate,
        @Size(max = 64) @Pattern(regexp = "^$|^[A-Za-z][A-Za-z0-9_$^-]*$",
                message = "must start with a letter and hold only letters, digits, '_', '-', '$' and '^'")
        String defaultConfigName,
        @Size(max = 256) String managementPassword,
        Boolean zoneHostHbas,
        @Size(max = 95) @Pattern(regexp = "^$|^\\s*[0-9A-Fa-f]{2}(:?[0-9A-Fa-f]{2}){31}\\s*$",
                message = "must be a SHA-256 fingerprint: 64 hex digits, with or without colons")
        String tlsCertificateSha256,
        @Pattern(regexp = "^$|^(device-alias|fcalias)$", message = "must be device-alias or fcalias")
        String aliasKind) {

    public FabricForm(String name, String side, String vendor, Integer virtualFabricId, String managementUrl,
                      String managementUsername, String description, ZoningPolicy zoningPolicy,
                      String zoneNameTemplate, String defaultConfigName, String managementPassword,
                      Boolean zoneHostHbas, String tlsCertificateSha256) {
        this(name, side, vendor, virtualFabricId, managementUrl, managementUsername, description, zoningPolicy,
                zoneNameTemplate, defaultConfigName, managementPassword, zoneHostHbas, tlsCertificateSha256, null);
    }

    public FabricForm(String name, String side, String vendor, Integer virtualFabricId, String managementUrl,
                      String managementUsername, String description, ZoningPolicy zoningPolicy,
                      String zoneNameTemplate, String defaultConfigName, String managementPassword,
                      Boolean zoneHostHbas) {
        this(name, side, vendor, virtualFabricId, managementUrl, managementUsername, description, zoningPolicy,
                zoneNameTemplate, defaultConfigName, managementPassword, zoneHostHbas, null);
    }

    /** Without zoning settings (defaults) and without a password. */
    public FabricForm(String name, String side, String vendor, Integer virtualFabricId, String managementUrl,
                      String managementUsername, String description) {
        this(name, side, vendor, virtualFabricId, managementUrl, managementUsername, description, null, null, null,
                null, null);
    }

    public static FabricForm empty() {
        return new FabricForm("", "A", "simulated", null, "", "", "", ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET,
                "vfz_{vm}_{array}", "vfz_cfg", "", false, "", Fabric.ALIAS_KIND_DEVICE_ALIAS);
    }

    /** The same form with zoning settings and a password: what an administrator fills in for a real switch. */
    public FabricForm(String name, String side, String vendor, Integer virtualFabricId, String managementUrl,
                      String managementUsername, String description, ZoningPolicy zoningPolicy,
                      String zoneNameTemplate, String defaultConfigName, String managementPassword) {
        this(name, side, vendor, virtualFabricId, managementUrl, managementUsername, description, zoningPolicy,
                zoneNameTemplate, defaultConfigName, managementPassword, null);
    }

    /** The form of a stored fabric and its connection, the password left empty (it is write-only). */
    public static FabricForm of(Fabric f, FabricConnectionStore.Stored connection) {
        return new FabricForm(f.getName(), f.getSide(), f.getVendor().code(), f.getVirtualFabricId(),
                connection.managementUrl(), connection.managementUsername(), f.getDescription(), f.getZoningPolicy(),
                f.getZoneNameTemplate(), f.getDefaultConfigName(), "", f.isZoneHostHbas(),
                connection.tlsCertificateSha256() == null ? "" : connection.tlsCertificateSha256(), f.getAliasKind());
    }

    FabricConnectionStore.Settings connection() {
        return new FabricConnectionStore.Settings(managementUrl, managementUsername, managementPassword,
                tlsCertificateSha256);
    }
}
