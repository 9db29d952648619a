/** Fabrics, hosts, adapters, virtual functions, VMs and their NPIV identities, storage arrays. */
@ApplicationModule(allowedDependencies = {"audit", "system", "wwn"})
package org.vfzone.inventory;

import org.springframework.modulith.ApplicationModule;
