/** WWN value type, pools, allocation with quarantine, and the registry of where a WWN is used. */
@ApplicationModule(allowedDependencies = {"audit", "system"})
package org.vfzone.wwn;

import org.springframework.modulith.ApplicationModule;
