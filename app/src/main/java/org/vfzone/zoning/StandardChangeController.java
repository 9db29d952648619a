package org.vfzone.zoning;

import java.security.Principal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.system.PageController;
import org.vfzone.system.RuleViolation;

/** The standard changes page: the policies, proposing one, approving and revoking. */
@PageController
class StandardChangeController {

    private final StandardChanges standardChanges;
    private final FabricService fabrics;
    private final StorageArrayService arrays;

    StandardChangeController(StandardChanges standardChanges, FabricService fabrics, StorageArrayService arrays) {
        this.standardChanges = standardChanges;
        this.fabrics = fabrics;
        this.arrays = arrays;
    }

    @GetMapping("/standard-changes")
    String list(Model model) {
        model.addAttribute("policies", standardChanges.list().stream()
                .map(p -> Map.entry(p, standardChanges.describe(p))).toList());
        model.addAttribute("fabrics", fabrics.list());
        model.addAttribute("arrays", arrays.list());
        model.addAttribute("zoningPolicies", ZoningPolicy.values());
        return "zoning/standard-changes";
    }

    @PostMapping("/standard-changes")
    String propose(@RequestParam String name, @RequestParam(defaultValue = "") String description,
                   @RequestParam(name = "fabricIds", required = false) List<Long> fabricIds,
                   @RequestParam(name = "arrayIds", required = false) List<Long> arrayIds,
                   @RequestParam(defaultValue = "") String clusters,
                   @RequestParam(required = false) ZoningPolicy zoningPolicy,
                   @RequestParam(defaultValue = "false") boolean allowAdd,
                   @RequestParam(defaultValue = "false") boolean allowRemove,
                   @RequestParam(defaultValue = "20") int maxZones, @RequestParam String expires,
                   Principal user, RedirectAttributes flash) {
        if (fabricIds == null || fabricIds.isEmpty()) {
            throw RuleViolation.invalid("fabricIds", "choose at least one fabric");
        }
        if (arrayIds == null || arrayIds.isEmpty()) {
            throw RuleViolation.invalid("arrayIds", "choose at least one array");
        }
        Instant expiresAt;
        try {
            expiresAt = LocalDateTime.parse(expires.length() == 10 ? expires + "T00:00" : expires)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw RuleViolation.invalid("expires", "must be a date (and time), UTC");
        }
        if (maxZones < 1 || maxZones > 10_000) {
            throw RuleViolation.invalid("maxZones", "must be between 1 and 10000");
        }
        if (name.isBlank() || name.strip().length() > 48) {
            throw RuleViolation.invalid("name", "must be 1 to 48 characters");
        }
        Set<String> clusterSet = new TreeSet<>();
        for (String cluster : clusters.split(",")) {
            if (!cluster.isBlank()) {
                clusterSet.add(cluster.strip());
            }
        }
        StandardChanges.Policy policy = standardChanges.propose(new StandardChanges.PolicyForm(name, description,
                Set.copyOf(fabricIds), Set.copyOf(arrayIds), clusterSet, Set.of(), zoningPolicy, allowAdd, allowRemove,
                maxZones, expiresAt), user.getName());
        flash.addFlashAttribute("message", "Standard change " + policy.name() + " proposed; another approver "
                + "activates it");
        return "redirect:/standard-changes";
    }

    @PostMapping("/standard-changes/{id}/approve")
    String approve(@PathVariable long id, Principal user, RedirectAttributes flash) {
        StandardChanges.Policy policy = standardChanges.approve(id, user.getName());
        flash.addFlashAttribute("message", "Standard change " + policy.name() + " is active");
        return "redirect:/standard-changes";
    }

    @PostMapping("/standard-changes/{id}/revoke")
    String revoke(@PathVariable long id, Principal user, RedirectAttributes flash) {
        StandardChanges.Policy policy = standardChanges.revoke(id, user.getName());
        flash.addFlashAttribute("message", "Standard change " + policy.name() + " revoked");
        return "redirect:/standard-changes";
    }
}
