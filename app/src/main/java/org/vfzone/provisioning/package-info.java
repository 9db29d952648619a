/** One-call provisioning jobs: each step, from allocating a VM's WWPNs to pushing its zones, resumed after a crash. */
@ApplicationModule(allowedDependencies = {"audit", "inventory", "security", "system", "wwn", "zoning"})
package org.vfzone.provisioning;

import org.springframework.modulith.ApplicationModule;
