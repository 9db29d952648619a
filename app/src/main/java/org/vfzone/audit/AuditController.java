package org.vfzone.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.vfzone.system.PageController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.vfzone.system.Paging;

/** The audit trail page: who did what, filtered by actor, object type, text and age. */
@PageController
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
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
