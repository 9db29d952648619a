package org.vfzone.analytics;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.security.FabricAccess;
import org.vfzone.security.Role;
import org.vfzone.system.PageController;
import org.vfzone.wwn.WwnFields;

/** The fabric page's SAN Analytics panel and the initiator page's flows, both loaded by htmx; a poll on demand. */
@PageController
class SanAnalyticsController {

    private final SanAnalyticsQueries queries;
    private final SanAnalyticsPoller poller;
    private final FabricService fabrics;
    private final FabricAccess access;

    SanAnalyticsController(SanAnalyticsQueries queries, SanAnalyticsPoller poller, FabricService fabrics,
                           FabricAccess access) {
        this.queries = queries;
        this.poller = poller;
        this.fabrics = fabrics;
        this.access = access;
    }

    @GetMapping("/fabrics/{id}/analytics")
    String panel(@PathVariable long id, Model model) {
        model.addAttribute("fabric", fabrics.get(id));
        model.addAttribute("analytics", queries.status(id).orElse(null));
        model.addAttribute("flows", queries.busiestFlows(id, 20));
        return "fabrics/analytics :: panel";
    }

    @PostMapping("/fabrics/{id}/analytics/poll")
    String poll(@PathVariable long id, RedirectAttributes flash) {
        Fabric fabric = fabrics.get(id);
        access.require(Role.OPERATOR, id, fabric.getName(), "read the flows of");
        SanAnalyticsPoller.Result result = poller.poll(id);
        flash.addFlashAttribute("message", switch (result.status()) {
            case "OK" -> "SAN Analytics: " + result.flows() + " flows of " + result.initiators() + " initiators read; "
                    + result.stored() + " initiators' traffic stored from the switch, " + result.hostReports()
                    + " reported by host collectors instead.";
            case "UNAVAILABLE" -> "No SAN Analytics on this fabric: " + result.message();
            default -> "SAN Analytics poll failed: " + result.message();
        });
        return "redirect:/fabrics/" + id;
    }

    @GetMapping("/traffic/initiators/{wwpn}/flows")
    String flowsOfInitiator(@PathVariable String wwpn, Model model) {
        model.addAttribute("flows", queries.flowsOf(WwnFields.parse(wwpn, "wwpn")));
        return "traffic/flows :: panel";
    }
}
