package org.vfzone.audit;

import java.time.Instant;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.vfzone.system.Paging;

/** The audit trail as JSON, newest first, with the audit page's filters. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Audit", description = "The audit trail, filtered and paged")
@RequestMapping("/api")
class AuditApiController {

    private final AuditLog audit;

    AuditApiController(AuditLog audit) {
        this.audit = audit;
    }

    /** {@code actor} did it; {@code onBehalfOf} is the person vfzone's own worker (a job, a change window) acted for. */
    record AuditEventDto(long id, Instant at, String actor, String onBehalfOf, String action, String objectType,
                         Long objectId, String summary, String detail) {
        static AuditEventDto of(AuditEvent e) {
            return new AuditEventDto(e.getId(), e.getAt(), e.getActor(), e.getOnBehalfOf(), e.getAction(),
                    e.getObjectType(), e.getObjectId(), e.getSummary(), e.getDetail());
        }
    }

    @GetMapping("/audit")
    List<AuditEventDto> search(@RequestParam(defaultValue = "") String actor,
                               @RequestParam(defaultValue = "") String type,
                               @RequestParam(defaultValue = "") String text,
                               @RequestParam(defaultValue = "30") int days,
                               @RequestParam(defaultValue = "0") int page,
                               @RequestParam(defaultValue = "100") int size,
                               @RequestParam(defaultValue = "at,desc") String sort) {
        AuditController.Filter filter = new AuditController.Filter(actor, type, text, days);
        return audit.search(actor, type, text, filter.from(), Paging.of(page, size, 1000, AuditLog.sort(sort)))
                .map(AuditEventDto::of)
                .getContent();
    }
}
