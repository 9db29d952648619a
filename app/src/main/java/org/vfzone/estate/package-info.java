/** Import of a whole estate from CSV. */
@ApplicationModule(allowedDependencies = {"inventory", "system", "wwn"})
package org.vfzone.estate;

import org.springframework.modulith.ApplicationModule;
