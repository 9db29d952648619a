package org.vfzone.zoning;

import java.security.Principal;
import java.util.HashSet;
import java.util.Set;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.logins.LoginQueries;
import org.vfzone.system.PageController;

/** The VM page's storage access panel: granting and revoking arrays, the VM's logins and drift. */
@PageController
class StorageAccessController {

    private final StorageAccessService access;
    private final StorageArrayService arrays;
    private final ZoningQueries queries;
    private final DriftDetector drift;
    private final LoginQueries logins;

    StorageAccessController(StorageAccessService access, StorageArrayService arrays, ZoningQueries queries,
                            DriftDetector drift, LoginQueries logins) {
        this.access = access;
        this.arrays = arrays;
        this.queries = queries;
        this.drift = drift;
        this.logins = logins;
    }

    /** The VM page's storage access panel (loaded by htmx). */
    @GetMapping("/vms/{id}/zoning")
    String vmPanel(@PathVariable long id, Model model) {
        model.addAttribute("vmId", id);
        var grants = access.of(id);
        Set<Long> granted = new HashSet<>();
        grants.forEach(g -> granted.add(g.arrayId()));
        model.addAttribute("grants", grants);
        // only what the VM may not reach yet is offered
        model.addAttribute("arrays", arrays.list().stream().filter(a -> !granted.contains(a.getId())).toList());
        model.addAttribute("zoneChecks", queries.zoneChecks(id));
        model.addAttribute("drift", drift.ofVm(id));
        model.addAttribute("logins", logins.ofVm(id));
        model.addAttribute("loginHistory", logins.historyOfVm(id, 20));
        return "zoning/vm-panel :: panel";
    }

    @PostMapping("/vms/{id}/access")
    String grant(@PathVariable long id, @RequestParam(required = false) Long arrayId, Principal user,
                 RedirectAttributes flash) {
        StorageAccessService.Grant granted = access.grant(id, arrayId, user.getName());
        flash.addFlashAttribute("message", "VM " + granted.vmName() + " may now reach "
                + granted.arrayName() + ". Plan the VM (below) to zone it on its fabrics.");
        return "redirect:/vms/" + id;
    }

    @PostMapping("/vms/{id}/access/{accessId}/revoke")
    String revoke(@PathVariable long id, @PathVariable long accessId, Principal user, RedirectAttributes flash) {
        access.revoke(id, accessId, user.getName());
        flash.addFlashAttribute("message", "Access revoked. Plan each fabric to remove the zones.");
        return "redirect:/vms/" + id;
    }
}
