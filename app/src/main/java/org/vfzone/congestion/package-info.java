/**
 * Congestion per VM: the switches' port counters (credit stalls, TxWait, discards, timeouts, link errors) and name
 * servers, polled per fabric, attributed to the VMs logged in through each port by their share of its traffic, and to
 * the VMs zoned to a congested array port.
 */
@ApplicationModule(allowedDependencies = {"audit", "connection", "inventory", "security", "system", "traffic",
        "wwn", "zoning"})
package org.vfzone.congestion;

import org.springframework.modulith.ApplicationModule;
