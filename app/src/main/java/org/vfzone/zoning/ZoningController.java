package org.vfzone.zoning;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.Paging;

/** Pages of the zoning workflow: storage access on the VM page, planning, review, approval, push, audit. */
@Controller
class ZoningController {

    private final StorageAccessService access;
    private final StorageArrayService arrays;
    private final ChangeSetService changeSets;
    private final FabricService fabrics;
    private final ZoningQueries queries;
    private final AuditLog audit;
    private final DriftDetector drift;
    private final LoginDiscovery discovery;
    private final LoginQueries logins;
    private final ZoneAdoption adoption;

    ZoningController(StorageAccessService access, StorageArrayService arrays, ChangeSetService changeSets,
                     FabricService fabrics, ZoningQueries queries, AuditLog audit,
                     DriftDetector drift, LoginDiscovery discovery, LoginQueries logins, ZoneAdoption adoption) {
        this.adoption = adoption;
        this.discovery = discovery;
        this.logins = logins;
        this.drift = drift;
        this.access = access;
        this.arrays = arrays;
        this.changeSets = changeSets;
        this.fabrics = fabrics;
        this.queries = queries;
        this.audit = audit;
    }

    /** The VM page's storage access panel (loaded by htmx). */
    @GetMapping("/vms/{id}/zoning")
    String vmPanel(@PathVariable long id, Model model) {
        model.addAttribute("vmId", id);
        model.addAttribute("grants", access.of(id));
        model.addAttribute("arrays", arrays.list());
        model.addAttribute("zoneChecks", queries.zoneChecks(id));
        model.addAttribute("drift", drift.ofVm(id));
        model.addAttribute("logins", logins.ofVm(id));
        model.addAttribute("loginHistory", logins.historyOfVm(id, 20));
        return "zoning/vm-panel :: panel";
    }

    @PostMapping("/vms/{id}/access")
    String grant(@PathVariable long id, @RequestParam(required = false) Long arrayId, Principal user,
                 RedirectAttributes flash) {
        try {
            StorageAccess granted = access.grant(id, arrayId, user.getName());
            flash.addFlashAttribute("message", "Access to " + granted.getArray().getName()
                    + " granted. Plan each fabric to zone it.");
        } catch (RuleViolation e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/vms/" + id;
    }

    @PostMapping("/vms/{id}/access/{accessId}/revoke")
    String revoke(@PathVariable long id, @PathVariable long accessId, Principal user, RedirectAttributes flash) {
        access.revoke(id, accessId, user.getName());
        flash.addFlashAttribute("message", "Access revoked. Plan each fabric to remove the zones.");
        return "redirect:/vms/" + id;
    }

    /** The fabric page's zoning panel (loaded by htmx). */
    @GetMapping("/fabrics/{id}/zoning")
    String fabricPanel(@PathVariable long id, Model model) {
        model.addAttribute("fabric", fabrics.get(id));
        model.addAttribute("changeSets", queries.recentChangeSets(id, 10));
        model.addAttribute("lastCheck", queries.lastDriftCheck(id).orElse(null));
        model.addAttribute("discovery", logins.discovery(id).orElse(null));
        model.addAttribute("fabricLogins", logins.ofFabric(id));
        return "zoning/fabric-panel :: panel";
    }

    /** The dashboard's drift panel (loaded by htmx). */
    @GetMapping("/zoning/drift")
    String driftPanel(Model model) {
        model.addAttribute("driftProblems", drift.problems());
        model.addAttribute("notLoggedIn", logins.zonedButNotLoggedIn(20));
        return "zoning/drift-panel :: panel";
    }

    /** Preview of the existing zones vfzone could adopt on this fabric. */
    @GetMapping("/fabrics/{id}/adopt")
    String adoptPreview(@PathVariable long id, Model model, RedirectAttributes flash) {
        try {
            model.addAttribute("fabric", fabrics.get(id));
            model.addAttribute("proposals", adoption.proposals(id));
            return "zoning/adopt";
        } catch (RuleViolation e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/fabrics/" + id;
        }
    }

    @PostMapping("/fabrics/{id}/adopt")
    String adopt(@PathVariable long id, @RequestParam(name = "zones", required = false) List<String> zones,
                 Principal user, RedirectAttributes flash) {
        try {
            int adopted = adoption.adopt(id, zones, user.getName());
            flash.addFlashAttribute("message", adopted + " zone(s) adopted; the switch was not changed. Plan the "
                    + "fabric to rename them to the naming template through a reviewed change set.");
            return "redirect:/fabrics/" + id;
        } catch (RuleViolation e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/fabrics/" + id + "/adopt";
        }
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
    String plan(@PathVariable long id, Principal user, RedirectAttributes flash) {
        try {
            Optional<ChangeSet> planned = changeSets.plan(id, user.getName());
            if (planned.isEmpty()) {
                flash.addFlashAttribute("message", "The fabric already matches: nothing to change.");
                return "redirect:/fabrics/" + id;
            }
            flash.addFlashAttribute("message", "Planned. Review the change, then ask an approver to approve it.");
            return "redirect:/changes/" + planned.get().getId();
        } catch (RuleViolation e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/fabrics/" + id;
        }
    }

    @GetMapping("/changes")
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("page", changeSets.list(Paging.of(page, 50, 50)));
        return "zoning/changes";
    }

    @GetMapping("/changes/{id}")
    String show(@PathVariable long id, Principal user, Model model) {
        ChangeSet changeSet = changeSets.get(id);
        model.addAttribute("cs", changeSet);
        model.addAttribute("stored", changeSets.stored(changeSet));
        model.addAttribute("isAuthor", changeSets.isPlannedBy(changeSet, user.getName()));
        model.addAttribute("events", audit.of("change_set", id, Paging.of(0, 100, 100)).getContent());
        return "zoning/change";
    }

    /** The status block of a change set, polled by htmx while a push runs. */
    @GetMapping("/changes/{id}/status")
    String status(@PathVariable long id, Principal user, Model model) {
        ChangeSet changeSet = changeSets.get(id);
        model.addAttribute("cs", changeSet);
        model.addAttribute("isAuthor", changeSets.isPlannedBy(changeSet, user.getName()));
        return "zoning/change :: status";
    }

    @PostMapping("/changes/{id}/approve")
    String approve(@PathVariable long id, Principal user, RedirectAttributes flash) {
        try {
            changeSets.approve(id, user.getName());
            flash.addFlashAttribute("message", "Approved. It can be pushed now.");
        } catch (RuleViolation e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/changes/" + id;
    }

    @PostMapping("/changes/{id}/cancel")
    String cancel(@PathVariable long id, Principal user, RedirectAttributes flash) {
        try {
            changeSets.cancel(id, user.getName());
            flash.addFlashAttribute("message", "Cancelled.");
        } catch (RuleViolation e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/changes/" + id;
    }

    /** Claims the change set, then pushes in the background; the page follows progress. */
    @PostMapping("/changes/{id}/push")
    String push(@PathVariable long id, Principal user, RedirectAttributes flash) {
        try {
            changeSets.pushApproved(id, user.getName(), false);
        } catch (RuleViolation e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/changes/" + id;
    }

    /** An admin ends a change set stuck in PUSHING by reading the fabric back. */
    @PostMapping("/changes/{id}/resolve")
    String resolve(@PathVariable long id, Principal user, RedirectAttributes flash) {
        try {
            ChangeSet resolved = changeSets.resolveByReadBack(id, user.getName(), false);
            flash.addFlashAttribute("message", "Resolved by reading the fabric back: " + resolved.getStatus() + " · "
                    + resolved.getOutcome());
        } catch (RuleViolation e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/changes/" + id;
    }

    @GetMapping("/changes/{id}/script.txt")
    ResponseEntity<String> script(@PathVariable long id) {
        ChangeSet changeSet = changeSets.get(id);
        String script = String.join("\n", changeSets.stored(changeSet).cliScript()) + "\n";
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("vfzone-change-" + id + "-" + changeSet.getFabric().getName() + ".txt").build()
                        .toString())
                .body(script);
    }

    @GetMapping("/audit")
    String audit(@RequestParam(defaultValue = "") String actor, @RequestParam(defaultValue = "") String type,
                 @RequestParam(defaultValue = "") String text, @RequestParam(defaultValue = "30") int days,
                 @RequestParam(defaultValue = "0") int page, Model model) {
        // at most a century back: larger numbers of days do not fit an instant
        Instant from = Instant.now().minus(Math.max(1, Math.min(days, 36_500)), ChronoUnit.DAYS);
        model.addAttribute("actor", actor);
        model.addAttribute("type", type);
        model.addAttribute("text", text);
        model.addAttribute("days", days);
        model.addAttribute("types", List.of("change_set", "vm", "host", "adapter", "fabric", "array", "wwn_pool"));
        model.addAttribute("page", audit.search(actor, type, text, from, Paging.of(page, 100, 100)));
        return "zoning/audit";
    }
}
