/** Infrastructure every module stands on: the embedded database, node identity, settings, errors, request logging, CSV export, the to-do list. */
@ApplicationModule(allowedDependencies = {})
package org.vfzone.system;

import org.springframework.modulith.ApplicationModule;
