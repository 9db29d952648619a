/** Storage access, zone planning and naming, change sets (plan, approve, push, verify, recover, undo), standard changes, drift, adoption, zoning history. */
@ApplicationModule(allowedDependencies = {"audit", "connection", "inventory", "logins", "security", "system", "wwn"})
package org.vfzone.zoning;

import org.springframework.modulith.ApplicationModule;
