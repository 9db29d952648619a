package org.vfzone.hypervisor;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A VM's NPIV configuration for vSphere, Hyper-V or libvirt. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Hypervisor configuration", description = "The exact vSphere, Hyper-V or libvirt configuration that gives a VM its vfzone WWNs")
class HypervisorConfigApiController {

    private final HypervisorConfigs configs;

    HypervisorConfigApiController(HypervisorConfigs configs) {
        this.configs = configs;
    }

    /** {@code kind}: vsphere, hyperv or libvirt (default: the host's); 409 while the VM has no identity or for a kind that does not fit its host's hypervisor. */
    @GetMapping("/api/vms/{id}/hypervisor-config")
    HypervisorConfigs.Config config(@PathVariable long id, @RequestParam(required = false) String kind) {
        return kind == null ? configs.of(id) : configs.of(id, HypervisorKind.parse(kind));
    }
}
