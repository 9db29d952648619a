package org.vfzone.fabric;

/**
 * What a connection test learns once signed in to a switch.
 *
 * @param firmware       the firmware version as the switch reports it (Fabric OS {@code firmware-version}, NX-OS
 *                       {@code sys_ver_str})
 * @param partition      what zoning is scoped to: "virtual fabric 10", "VSAN 20", or "the default logical switch"
 * @param partitionFound whether that virtual fabric or VSAN exists on the switch
 * @param detail         the switch's own words about it (its name, or why it was not found)
 * @param protocol       how vfzone speaks to this firmware, where that depends on the release (e.g. "FOS REST, zoning
 *                       under /rest/running/zoning/ in XML (FOS 8.2.0 to 8.2.1a)"), or null
 */
public record SwitchIdentity(String firmware, String partition, boolean partitionFound, String detail,
                             String protocol) {

    public SwitchIdentity(String firmware, String partition, boolean partitionFound, String detail) {
        this(firmware, partition, partitionFound, detail, null);
    }
}
