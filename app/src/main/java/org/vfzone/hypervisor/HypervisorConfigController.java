package org.vfzone.hypervisor;

import java.util.List;

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
    String page(@PathVariable long id, @RequestParam(required = false) String kind, Model model) {
        HypervisorConfigs.Config config = kind == null ? configs.of(id) : configs.of(id, HypervisorKind.parse(kind));
        // only the host's own hypervisor: an ESXi host gets no Hyper-V script
        model.addAttribute("kinds", List.of(config.kind()));
        model.addAttribute("chosen", config.kind());
        model.addAttribute("config", config);
        return "vms/hypervisor";
    }
}
