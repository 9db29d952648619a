/** Who is logged in to each fabric: discovery from the name server, login history, ignored logins. */
@ApplicationModule(allowedDependencies = {"audit", "connection", "inventory", "security", "system", "wwn"})
package org.vfzone.logins;

import org.springframework.modulith.ApplicationModule;
