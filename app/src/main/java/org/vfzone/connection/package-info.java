/** How vfzone reaches each fabric: the stored connection, the vendor drivers, the connection test. */
@ApplicationModule(allowedDependencies = {"inventory", "security", "system"})
package org.vfzone.connection;

import org.springframework.modulith.ApplicationModule;
