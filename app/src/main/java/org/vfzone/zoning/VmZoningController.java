package org.vfzone.zoning;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.system.PageController;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;

/** Zoning of VMs from the VM pages: plan one VM on every fabric, act on a selection, the zones holding its WWPNs. */
@PageController
class VmZoningController {

    private final ChangeSetService changeSets;
    private final VmBulkActions bulkActions;
    private final LiveZoning liveZoning;
    private final InventoryDirectory inventory;

    private final MigrationCheck migration;

    VmZoningController(ChangeSetService changeSets, VmBulkActions bulkActions, LiveZoning liveZoning,
                       InventoryDirectory inventory, MigrationCheck migration) {
        this.migration = migration;
        this.changeSets = changeSets;
        this.bulkActions = bulkActions;
        this.liveZoning = liveZoning;
        this.inventory = inventory;
    }

    /** Plans this VM's zones on each of its fabrics: one change set per fabric that needs a change. */
    @PostMapping("/vms/{id}/plan")
    String plan(@PathVariable long id, @RequestParam(required = false) String reason,
                @RequestParam(required = false) String ticket,
                Principal user, RedirectAttributes flash) {
        List<ChangeSetService.FabricPlan> plans = changeSets.planVm(id, user.getName(), ChangeReason.of(reason, ticket));
        List<String> said = new ArrayList<>();
        for (ChangeSetService.FabricPlan plan : plans) {
            said.add(plan.fabricName() + ": " + (plan.problem() != null ? "not planned, " + plan.problem()
                    : plan.changeSetId() == null ? "already as granted" : "change set " + plan.changeSetId()));
        }
        flash.addFlashAttribute(plans.stream().anyMatch(p -> p.problem() != null) ? "error" : "message",
                plans.isEmpty() ? "The VM has no WWPN pair on any fabric yet: nothing to plan."
                        : "Planned this VM: " + String.join("; ", said) + ".");
        flash.addFlashAttribute("plannedChangeSets", plans.stream().filter(p -> p.changeSetId() != null).toList());
        return "redirect:/vms/" + id;
    }

    /** The VM page's panel of every zone, on any fabric, that holds one of the VM's WWPNs (loaded by htmx). */
    @GetMapping("/vms/{id}/zones")
    String zonesOfVm(@PathVariable long id, Model model) {
        List<Wwn> wwpns = new ArrayList<>();
        inventory.initiatorsOfVm(id).forEach(pair -> {
            wwpns.add(Wwn.parse(pair.activeWwpn()));
            wwpns.add(Wwn.parse(pair.standbyWwpn()));
        });
        model.addAttribute("found", liveZoning.zonesWithAny(wwpns));
        return "zoning/wwn-zones :: panel";
    }

    /** The VM page's live-migration panel: the check for every other host of its cluster (loaded by htmx). */
    @GetMapping("/vms/{id}/migration")
    String migrationPanel(@PathVariable long id, Model model) {
        model.addAttribute("vmId", id);
        try {
            model.addAttribute("results", migration.clusterHosts(id));
        } catch (RuleViolation e) {
            model.addAttribute("results", List.of());
            model.addAttribute("problem", e.getMessage());
        }
        return "zoning/migration-panel :: panel";
    }

    @PostMapping("/vms/{id}/move")
    String move(@PathVariable long id, @RequestParam long hostId, Principal user, RedirectAttributes flash) {
        MigrationCheck.Moved moved = migration.move(id, hostId, user.getName());
        flash.addFlashAttribute("message", "Moved to " + moved.check().toHost() + ": "
                + String.join("; ", moved.actions()));
        return "redirect:/vms/" + id;
    }

    /** The VM list's bulk actions. */
    @PostMapping("/vms/bulk")
    String bulk(@RequestParam(required = false) VmBulkActions.Action action,
                @RequestParam(name = "vmIds", required = false) Set<Long> vmIds,
                @RequestParam(required = false) Long poolId, @RequestParam(required = false) Long arrayId,
                @RequestParam(required = false) String reason, @RequestParam(required = false) String ticket,
                Principal user, RedirectAttributes flash) {
        List<VmBulkActions.Outcome> outcomes = bulkActions.apply(action, vmIds, poolId, arrayId, user.getName(),
                action == VmBulkActions.Action.PLAN ? ChangeReason.of(reason, ticket) : ChangeReason.NONE);
        flash.addFlashAttribute("bulkOutcomes", outcomes);
        flash.addFlashAttribute(outcomes.stream().allMatch(VmBulkActions.Outcome::ok) ? "message" : "error",
                action + " on " + vmIds.size() + " VM(s): " + outcomes.stream().filter(VmBulkActions.Outcome::ok)
                        .count() + " done, " + outcomes.stream().filter(o -> !o.ok()).count() + " refused");
        return "redirect:/vms";
    }
}
