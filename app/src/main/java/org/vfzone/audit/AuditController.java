package org.vfzone.audit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.springframework.data.domain.PageRequest;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.vfzone.system.CsvExport;
import org.vfzone.system.PageController;
import org.vfzone.system.Paging;

/** The audit trail page: who did what, filtered by actor, object type, text and age. */
@PageController
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    /** The filters of the audit page, its CSV export and its API, read the same way by each. */
    record Filter(String actor, String type, String text, int days) {

        Instant from() {
            // at most a century back: larger numbers of days do not fit an instant
            return Instant.now().minus(Math.max(1, Math.min(days, 36_500)), ChronoUnit.DAYS);
        }

        String query() {
            return "actor=" + encode(actor) + "&type=" + encode(type) + "&text=" + encode(text) + "&days=" + days;
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    /** The most rows one CSV export holds; narrow the filter for more. */
    static final int MAX_EXPORT_ROWS = 50_000;

    @GetMapping("/audit")
    String audit(@RequestParam(defaultValue = "") String actor, @RequestParam(defaultValue = "") String type,
                 @RequestParam(defaultValue = "") String text, @RequestParam(defaultValue = "30") int days,
                 @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "100") int size,
                 @RequestParam(defaultValue = "at,desc") String sort, Model model) {
        Filter filter = new Filter(actor, type, text, days);
        int pageSize = Math.max(1, Math.min(size, 200));
        model.addAttribute("sort", sort);
        model.addAttribute("size", pageSize);
        model.addAttribute("listBase", "/audit?" + filter.query() + "&size=" + pageSize);
        model.addAttribute("actor", actor);
        model.addAttribute("type", type);
        model.addAttribute("text", text);
        model.addAttribute("days", days);
        model.addAttribute("types", TYPES);
        model.addAttribute("query", filter.query());
        model.addAttribute("page", audit.search(actor, type, text, filter.from(),
                Paging.of(page, pageSize, 200, AuditLog.sort(sort))));
        return "zoning/audit";
    }

    static final List<String> TYPES = List.of("change_set", "vm", "host", "adapter", "fabric", "array", "wwn_pool",
            "user", "api_token");

    /** The filtered audit trail as CSV (newest first, at most {@link #MAX_EXPORT_ROWS} rows), for the SIEM. */
    @GetMapping("/audit.csv")
    ResponseEntity<String> export(@RequestParam(defaultValue = "") String actor,
                                                           @RequestParam(defaultValue = "") String type,
                                                           @RequestParam(defaultValue = "") String text,
                                                           @RequestParam(defaultValue = "30") int days) {
        Filter filter = new Filter(actor, type, text, days);
        CsvExport csv = new CsvExport("at", "actor", "action", "object_type",
                "object_id", "summary", "detail");
        for (AuditEvent event : audit.search(actor, type, text, filter.from(),
                PageRequest.of(0, MAX_EXPORT_ROWS)).getContent()) {
            csv.row(event.getAt().toString(), event.getActor(), event.getAction(), event.getObjectType(),
                    event.getObjectId(), event.getSummary(), event.getDetail());
        }
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv",
                        StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("vfzone-audit.csv").build()
                                .toString())
                .body(csv.toString());
    }
}
