/** Channels (e-mail, signed webhooks) and the deliveries of zoning events to them. */
@ApplicationModule(allowedDependencies = {"audit", "inventory", "security", "system", "zoning"})
package org.vfzone.notification;

import org.springframework.modulith.ApplicationModule;
