/** Hypervisor configurations (libvirt, Hyper-V, vSphere) generated from the inventory. */
@ApplicationModule(allowedDependencies = {"inventory", "system", "wwn"})
package org.vfzone.hypervisor;

import org.springframework.modulith.ApplicationModule;
