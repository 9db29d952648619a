/**
 * ESXi VMs' disk IO from vCenter: connections (URL, user, encrypted password, pinned certificate), the poller that
 * matches vCenter's VMs to vfzone's and stores their real-time samples in the traffic store.
 */
@ApplicationModule(allowedDependencies = {"audit", "inventory", "security", "system", "traffic", "wwn"})
package org.vfzone.vcenter;

import org.springframework.modulith.ApplicationModule;
