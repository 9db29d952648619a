/**
 * Traffic from the switches: per initiator–target flows from Cisco MDS SAN Analytics, polled per fabric, stored as
 * per-initiator counters for the initiators no host collector reports.
 */
@ApplicationModule(allowedDependencies = {"connection", "inventory", "security", "system", "traffic", "wwn"})
package org.vfzone.analytics;

import org.springframework.modulith.ApplicationModule;
