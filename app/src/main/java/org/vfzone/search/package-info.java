/** The header's search box over the inventory, WWNs, zones and change sets. */
@ApplicationModule(allowedDependencies = {"inventory", "system", "wwn", "zoning"})
package org.vfzone.search;

import org.springframework.modulith.ApplicationModule;
