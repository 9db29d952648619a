package org.vfzone.zoning;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.inventory.FabricService;
import org.vfzone.logins.LoginDiscovery;
import org.vfzone.logins.LoginQueries;
import org.vfzone.system.PageController;
import org.vfzone.system.Paging;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFields;

/** Zoning actions on a fabric's page: its zoning panel, planning, drift checks, login discovery, adopting zones. */
@PageController
class FabricZoningController {

    private final FabricService fabrics;
    private final ChangeSetService changeSets;
    private final ZoningQueries queries;
    private final DriftDetector drift;
    private final LoginDiscovery discovery;
    private final LoginQueries logins;
    private final ZoneAdoption adoption;

    private final LiveZoning liveZoning;
    private final ZoneHygiene hygiene;

    FabricZoningController(FabricService fabrics, ChangeSetService changeSets, ZoningQueries queries,
                           DriftDetector drift, LoginDiscovery discovery, LoginQueries logins, ZoneAdoption adoption,
                           LiveZoning liveZoning, ZoneHygiene hygiene) {
        this.liveZoning = liveZoning;
        this.hygiene = hygiene;
        this.fabrics = fabrics;
        this.changeSets = changeSets;
        this.queries = queries;
        this.drift = drift;
        this.discovery = discovery;
        this.logins = logins;
        this.adoption = adoption;
    }

    /** The fabric page's zoning panel (loaded by htmx). */
    @GetMapping("/fabrics/{id}/zoning")
    String fabricPanel(@PathVariable long id, Model model) {
        model.addAttribute("fabric", fabrics.get(id));
        model.addAttribute("connection", fabrics.connectionOf(id));
        model.addAttribute("changeSets", queries.recentChangeSets(id, 10));
        model.addAttribute("lastCheck", queries.lastDriftCheck(id).orElse(null));
        model.addAttribute("discovery", logins.discovery(id).orElse(null));
        model.addAttribute("fabricLogins", logins.ofFabric(id));
        return "zoning/fabric-panel :: panel";
    }

    /** The fabric's zoning as the switch holds it: zones by page, searchable, members resolved. */
    @GetMapping("/fabrics/{id}/live-zoning")
    String liveZoning(@PathVariable long id, @RequestParam(defaultValue = "") String q,
                      @RequestParam(defaultValue = "0") int page, Model model) {
        var paging = Paging.of(page, 50, 50);
        model.addAttribute("view", liveZoning.view(id, q, paging.getPageNumber(), paging.getPageSize()));
        model.addAttribute("fabric", fabrics.get(id));
        return "zoning/live";
    }

    @PostMapping("/fabrics/{id}/live-zoning/refresh")
    String refreshLiveZoning(@PathVariable long id) {
        liveZoning.refresh(id);
        return "redirect:/fabrics/" + id + "/live-zoning";
    }

    @GetMapping("/fabrics/{id}/hygiene")
    String hygiene(@PathVariable long id, Model model) {
        model.addAttribute("fabric", fabrics.get(id));
        model.addAttribute("report", hygiene.check(id));
        return "zoning/hygiene";
    }

    public record HygieneSummary(long fabricId, String fabricName, int findings, int fixedByPlan, String problem) {
    }

    /** The dashboard's hygiene panel: findings per fabric (from the kept switch reads), loaded by htmx. */
    @GetMapping("/zoning/hygiene-summary")
    String hygieneSummary(Model model) {
        List<HygieneSummary> rows = new ArrayList<>();
        for (var fabric : fabrics.list()) {
            try {
                ZoneHygiene.Report report = hygiene.check(fabric.getId());
                rows.add(new HygieneSummary(fabric.getId(), fabric.getName(), report.findings().size(),
                        (int) report.findings().stream().filter(ZoneHygiene.Finding::fixedByPlan).count(), null));
            } catch (RuleViolation e) {
                rows.add(new HygieneSummary(fabric.getId(), fabric.getName(), 0, 0, e.getMessage()));
            }
        }
        model.addAttribute("hygiene", rows);
        return "zoning/hygiene-panel :: panel";
    }

    /** The WWN lookup page's zones panel (loaded by htmx). */
    @GetMapping("/wwns/zones")
    String zonesOfWwn(@RequestParam String wwn, Model model) {
        Wwn parsed = WwnFields.parse(wwn, "wwn");
        model.addAttribute("found", liveZoning.zonesWith(parsed));
        model.addAttribute("loggedIn", logins.whereLoggedIn(parsed));
        return "zoning/wwn-zones :: panel";
    }

    /** The dashboard's drift panel (loaded by htmx). */
    @GetMapping("/zoning/drift")
    String driftPanel(Model model) {
        model.addAttribute("driftProblems", drift.problems());
        model.addAttribute("notLoggedIn", queries.zonedButNotLoggedIn(20));
        return "zoning/drift-panel :: panel";
    }

    /** Preview of the existing zones vfzone could adopt on this fabric. */
    @GetMapping("/fabrics/{id}/adopt")
    String adoptPreview(@PathVariable long id, Model model) {
        model.addAttribute("fabric", fabrics.get(id));
        model.addAttribute("proposals", adoption.proposals(id));
        return "zoning/adopt";
    }

    @PostMapping("/fabrics/{id}/adopt")
    String adopt(@PathVariable long id, @RequestParam(name = "zones", required = false) List<String> zones,
                 Principal user, RedirectAttributes flash) {
        int adopted = adoption.adopt(id, zones, user.getName());
        flash.addFlashAttribute("message", adopted + " zone(s) adopted; the switch was not changed. Plan the "
                + "fabric to rename them to the naming template through a reviewed change set.");
        return "redirect:/fabrics/" + id;
    }

    @PostMapping("/fabrics/{id}/discover")
    String discover(@PathVariable long id, RedirectAttributes flash) {
        LoginDiscovery.Result result = discovery.discover(id);
        if (result.ok()) {
            flash.addFlashAttribute("message", result.logins() + " devices logged in (" + result.appeared()
                    + " new, " + result.disappeared() + " gone since the last look).");
        } else {
            flash.addFlashAttribute("error", result.message());
        }
        return "redirect:/fabrics/" + id;
    }

    @PostMapping("/fabrics/{id}/drift-check")
    String checkDrift(@PathVariable long id, RedirectAttributes flash) {
        DriftDetector.Result result = drift.check(id);
        if (result.status() == DriftDetector.Status.IN_SYNC) {
            flash.addFlashAttribute("message", "In sync: every zone vfzone pushed is on the fabric as pushed.");
        } else {
            flash.addFlashAttribute("error", result.status() + ": " + String.join("; ", result.problems()));
        }
        return "redirect:/fabrics/" + id;
    }

    @PostMapping("/fabrics/{id}/plan")
    String plan(@PathVariable long id, @RequestParam(required = false) String reason,
                @RequestParam(required = false) String ticket,
                @RequestParam(name = "vmIds", required = false) Set<Long> vmIds,
                Principal user, RedirectAttributes flash) {
        if (vmIds != null && vmIds.size() > VmBulkActions.MAX_VMS) {
            throw RuleViolation.invalid("vmIds", "at most " + VmBulkActions.MAX_VMS + " VMs at once");
        }
        Optional<ChangeSet> planned = changeSets.plan(id, new ChangeSetService.PlanScope(vmIds, Set.of()),
                user.getName(), ChangeReason.of(reason, ticket), null);
        if (planned.isEmpty()) {
            flash.addFlashAttribute("message", "The fabric already matches: nothing to change.");
            return "redirect:/fabrics/" + id;
        }
        flash.addFlashAttribute("message", "Planned. Review the change, then ask an approver to approve it.");
        return "redirect:/changes/" + planned.get().getId();
    }
}
