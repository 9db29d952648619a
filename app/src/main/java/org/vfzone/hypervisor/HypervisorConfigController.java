package org.vfzone.hypervisor;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.vfzone.system.PageController;

/** The VM's hypervisor configuration page: one tab per hypervisor, each file with a copy button. */
@PageController
class HypervisorConfigController {

    private final HypervisorConfigs configs;

    HypervisorConfigController(HypervisorConfigs configs) {
        this.configs = configs;
    }

    @GetMapping("/vms/{id}/hypervisor")
    String page(@PathVariable long id, @RequestParam(defaultValue = "vsphere") String kind, Model model) {
        HypervisorKind chosen = HypervisorKind.parse(kind);
        model.addAttribute("kinds", HypervisorKind.values());
        model.addAttribute("chosen", chosen);
        model.addAttribute("config", configs.of(id, chosen));
        return "vms/hypervisor";
    }
}
