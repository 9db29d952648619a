/** Demo mode: the demo estate, emulated switches and generated traffic. */
@ApplicationModule(allowedDependencies = {"analytics", "congestion", "connection", "inventory", "logins", "security",
        "traffic", "vcenter", "wwn", "zoning"})
package org.vfzone.demo;

import org.springframework.modulith.ApplicationModule;
