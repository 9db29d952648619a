/** The append-only audit trail and its syslog forwarding. */
@ApplicationModule(allowedDependencies = {"system"})
package org.vfzone.audit;

import org.springframework.modulith.ApplicationModule;
