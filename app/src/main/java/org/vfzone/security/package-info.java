/** Users, roles and fabric scopes, sessions, sign-in (local, directory, single sign-on), API tokens. */
@ApplicationModule(allowedDependencies = {"audit", "inventory", "system"})
package org.vfzone.security;

import org.springframework.modulith.ApplicationModule;
