package org.vfzone.inventory;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code vfzone.fabric} for the inventory's fabrics.
 *
 * @param simulatedAllowed whether a fabric may be simulated (zoning kept in the node's memory): demo mode and tests
 */
@ConfigurationProperties("vfzone.fabric")
public record InventoryProperties(boolean simulatedAllowed) {
}
