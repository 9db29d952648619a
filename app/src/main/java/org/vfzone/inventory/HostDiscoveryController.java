package org.vfzone.inventory;

import java.security.Principal;
import java.util.List;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.system.PageController;

/** The discovery page: what hosts reported that the inventory does not have yet, to accept in bulk. */
@PageController
class HostDiscoveryController {

    private final HostDiscovery discovery;

    HostDiscoveryController(HostDiscovery discovery) {
        this.discovery = discovery;
    }

    @GetMapping("/hosts/discovery")
    String page(Model model) {
        model.addAttribute("proposals", discovery.proposals());
        model.addAttribute("reports", discovery.lastReports());
        return "hosts/discovery";
    }

    @PostMapping("/hosts/discovery/accept")
    String accept(@RequestParam(name = "keys", required = false) List<String> keys, Principal user,
                  RedirectAttributes flash) {
        List<String> done = discovery.accept(keys, user.getName());
        flash.addFlashAttribute("message", "Accepted " + done.size() + " proposal(s)");
        return "redirect:/hosts/discovery";
    }
}
