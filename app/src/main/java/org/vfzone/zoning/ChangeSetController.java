package org.vfzone.zoning;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.FabricService;
import org.vfzone.system.PageController;
import org.vfzone.system.Paging;
import org.vfzone.system.Texts;

/** Pages of the change set workflow: list, review, approve, cancel, push, resolve, CLI script. */
@PageController
class ChangeSetController {

    private final ChangeSetService changeSets;
    private final ChangeSetPush pushes;
    private final AuditLog audit;
    private final FabricService fabrics;

    private final Clock clock;

    ChangeSetController(ChangeSetPush pushes, ChangeSetService changeSets, AuditLog audit, FabricService fabrics,
                        Clock clock) {
        this.pushes = pushes;
        this.clock = clock;
        this.fabrics = fabrics;
        this.changeSets = changeSets;
        this.audit = audit;
    }

    @GetMapping("/changes")
    String list(@RequestParam(required = false) ChangeSetStatus status,
                @RequestParam(name = "fabric", required = false) Long fabricId,
                @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                @RequestParam(defaultValue = "created,desc") String sort,
                @RequestParam(required = false) String awaiting,
                @RequestParam(required = false) ChangeSet.Outcome outcome,
                @RequestParam(defaultValue = "false") boolean attention, Principal user, Model model) {
        boolean mine = "me".equals(awaiting);
        var paging = Paging.of(page, size, 200, ChangeSetService.sort(sort));
        var found = mine ? changeSets.awaitingApprovalBy(user.getName(), paging)
                : changeSets.search(status, fabricId, outcome, attention, paging);
        model.addAttribute("outcome", outcome);
        model.addAttribute("attention", attention);
        model.addAttribute("awaitingMe", mine);
        model.addAttribute("sort", sort);
        model.addAttribute("size", Math.max(1, Math.min(size, 200)));
        model.addAttribute("page", found);
        model.addAttribute("fabricNames", changeSets.fabricNames());
        model.addAttribute("summaries", found.getContent().stream()
                .collect(Collectors.toMap(ChangeSet::getId, changeSets::summaryOf)));
        model.addAttribute("status", status);
        model.addAttribute("fabricId", fabricId);
        model.addAttribute("statuses", ChangeSetStatus.values());
        model.addAttribute("fabrics", fabrics.list());
        String awaitingParam = (mine ? "&awaiting=me" : "") + (outcome == null ? "" : "&outcome=" + outcome.name())
                + (attention ? "&attention=true" : "");
        model.addAttribute("listBase", "/changes?status=" + (status == null ? "" : status.name()) + awaitingParam + "&fabric="
                + (fabricId == null ? "" : fabricId) + "&size=" + Math.max(1, Math.min(size, 200)));
        model.addAttribute("pagerBase", "/changes?status=" + (status == null ? "" : status.name()) + awaitingParam + "&fabric="
                + (fabricId == null ? "" : fabricId) + "&size=" + Math.max(1, Math.min(size, 200)) + "&sort=" + sort);
        return "zoning/changes";
    }

    /** The dashboard's "awaiting your approval" panel (loaded by htmx); empty for those who cannot approve. */
    @GetMapping("/zoning/approvals")
    String approvalsPanel(Principal user, Model model) {
        boolean approver = Boolean.TRUE.equals(model.getAttribute("canApprove"));
        var waiting = approver ? changeSets.awaitingApprovalBy(user.getName()) : List.<ChangeSet>of();
        model.addAttribute("approver", approver);
        model.addAttribute("waiting", waiting);
        model.addAttribute("fabricNames", changeSets.fabricNames());
        model.addAttribute("summaries", waiting.stream()
                .collect(Collectors.toMap(ChangeSet::getId, changeSets::summaryOf)));
        return "zoning/approvals-panel :: panel";
    }

    @GetMapping("/changes/{id}")
    String show(@PathVariable long id, Principal user, Model model) {
        ChangeSet changeSet = changeSets.get(id);
        model.addAttribute("cs", changeSet);
        model.addAttribute("fabricNames", changeSets.fabricNames());
        StoredPlan stored = changeSets.stored(changeSet);
        model.addAttribute("stored", stored);
        model.addAttribute("scope", changeSets.scopeOf(stored));
        model.addAttribute("isAuthor", changeSets.isPlannedBy(changeSet, user.getName()));
        List<ChangeSet> batch = changeSets.batchOf(changeSet);
        model.addAttribute("batch", batch);
        model.addAttribute("plannedInBatch", batch.stream().filter(b -> b.getStatus() == ChangeSetStatus.PLANNED).count());
        model.addAttribute("events", audit.of("change_set", id, Paging.of(0, 100, 100)).getContent());
        return "zoning/change";
    }

    /** The status block of a change set, polled by htmx while a push runs. */
    @GetMapping("/changes/{id}/status")
    String status(@PathVariable long id, Principal user, Model model) {
        ChangeSet changeSet = changeSets.get(id);
        model.addAttribute("cs", changeSet);
        model.addAttribute("fabricNames", changeSets.fabricNames());
        model.addAttribute("isAuthor", changeSets.isPlannedBy(changeSet, user.getName()));
        return "zoning/change :: status";
    }

    @PostMapping("/changes/{id}/approve")
    String approve(@PathVariable long id, @RequestParam(defaultValue = "false") boolean batch,
                   @RequestParam(required = false) String windowStart, @RequestParam(required = false) String windowEnd,
                   @RequestParam(defaultValue = "false") boolean pushWhenOpen, Principal user,
                   RedirectAttributes flash) {
        ChangeSetService.ApprovalWindow window = ChangeSetService.ApprovalWindow.of(
                Texts.utcTime(windowStart, "windowStart"),
                Texts.utcTime(windowEnd, "windowEnd"), pushWhenOpen,
                clock.instant());
        if (batch) {
            List<ChangeSet> approved = changeSets.approveBatch(id, user.getName(), window);
            flash.addFlashAttribute("message", "Approved change sets " + approved.stream()
                    .map(cs -> "#" + cs.getId() + " (" + changeSets.fabricName(cs) + ")")
                    .collect(Collectors.joining(", ")) + ". They can be pushed now.");
            return "redirect:/changes/" + id;
        }
        ChangeSet approved = changeSets.approve(id, user.getName(), window);
        flash.addFlashAttribute("message", approved.getWindowStart() == null ? "Approved. It can be pushed now."
                : "Approved for its change window" + (approved.isPushInWindow() ? "; it is pushed when the window opens."
                : "; push it while the window is open."));
        return "redirect:/changes/" + id;
    }

    /** "Plan again" keeps the change set's scope: a VM's change set is planned again for that VM only. */
    @PostMapping("/changes/{id}/replan")
    String replan(@PathVariable long id, Principal user, RedirectAttributes flash) {
        Optional<ChangeSet> planned = changeSets.replan(id, user.getName());
        if (planned.isEmpty()) {
            flash.addFlashAttribute("message", "The fabric already holds what change set " + id
                    + " would change: nothing to plan.");
            return "redirect:/changes/" + id;
        }
        flash.addFlashAttribute("message", "Planned again with the same scope. Review the change, then ask an "
                + "approver to approve it.");
        return "redirect:/changes/" + planned.get().getId();
    }

    @PostMapping("/changes/{id}/cancel")
    String cancel(@PathVariable long id, Principal user, RedirectAttributes flash) {
        changeSets.cancel(id, user.getName());
        flash.addFlashAttribute("message", "Cancelled.");
        return "redirect:/changes/" + id;
    }

    /** Claims the change set, then pushes in the background; the page follows progress. */
    @PostMapping("/changes/{id}/push")
    String push(@PathVariable long id, Principal user) {
        pushes.pushApproved(id, user.getName(), false);
        return "redirect:/changes/" + id;
    }

    /** An admin ends a change set stuck in PUSHING by reading the fabric back. */
    @PostMapping("/changes/{id}/resolve")
    String resolve(@PathVariable long id, Principal user, RedirectAttributes flash) {
        ChangeSet resolved = pushes.resolveByReadBack(id, user.getName(), false);
        flash.addFlashAttribute("message", "Resolved by reading the fabric back: " + resolved.getStatus() + " · "
                + resolved.getOutcome());
        return "redirect:/changes/" + id;
    }

    @GetMapping("/changes/{id}/script.txt")
    ResponseEntity<String> script(@PathVariable long id) {
        ChangeSet changeSet = changeSets.get(id);
        String script = String.join("\n", changeSets.stored(changeSet).cliScript()) + "\n";
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("vfzone-change-" + id + "-" + changeSets.fabricName(changeSet) + ".txt").build()
                        .toString())
                .body(script);
    }
}
