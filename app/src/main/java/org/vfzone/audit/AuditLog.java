package org.vfzone.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.internal.AuditEventRepository;
import org.vfzone.system.CopyRows;
import org.vfzone.system.Paging;
import org.vfzone.system.Texts;
import tools.jackson.databind.json.JsonMapper;

/** Writes and searches the audit trail. Entries are never changed once written. */
@Service
public class AuditLog {

    private final AuditEventRepository events;
    private final Clock clock;
    private final JsonMapper json;

    private final ApplicationEventPublisher publisher;

    private final DataSource dataSource;

    AuditLog(AuditEventRepository events, Clock clock, JsonMapper json,
             ApplicationEventPublisher publisher, DataSource dataSource) {
        this.dataSource = dataSource;
        this.publisher = publisher;
        this.json = json;
        this.events = events;
        this.clock = clock;
    }

    /** Records an event in the caller's transaction: it lands exactly when the change it describes does. */
    @Transactional(propagation = Propagation.REQUIRED)
    public void record(String actor, String action, String objectType, Long objectId, String summary, String detail) {
        // a name typed at sign-in may hold any character; the trail keeps what can be shown, visibly
        String worker = WORKER.get();
        String who = visible(worker != null && !worker.equals(actor) ? worker : actor);
        String forWhom = worker != null && !worker.equals(actor) ? visible(actor) : null;
        AuditEvent event = events.save(new AuditEvent(clock.instant(), who, forWhom, action, objectType, objectId,
                summaryOf(withoutNul(summary)), withoutNul(detail)));
        publisher.publishEvent(new AuditRecorded(event.getAt(), event.getWho(), action, objectType, objectId,
                event.getSummary()));
    }

    private static final ThreadLocal<String> WORKER = new ThreadLocal<>();

    /**
     * Runs work vfzone does by itself for a person (a provisioning job's pass, a change window's push): what it
     * records names {@code worker} as the actor and the person the services were told they act for as the one it
     * was done for. The rule is in docs/admin.md.
     */
    public static <T> T asWorker(String worker, Supplier<T> work) {
        String before = WORKER.get();
        WORKER.set(worker);
        try {
            return work.get();
        } finally {
            if (before == null) {
                WORKER.remove();
            } else {
                WORKER.set(before);
            }
        }
    }

    /** The worker {@link #asWorker} set on this thread, or null: to carry it to a thread the work continues on. */
    public static String currentWorker() {
        return WORKER.get();
    }

    public static void asWorker(String worker, Runnable work) {
        asWorker(worker, () -> {
            work.run();
            return null;
        });
    }

    /** Every control character as a backslash, x and two hex digits (or u and four): one line, saying what it held. */
    public static String visible(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                out.append(c <= 0xFF ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** PostgreSQL text cannot hold NUL; summaries and details keep their line breaks. */
    private static String withoutNul(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace("\0", "\\x00");
    }

    /** Records an event in its own transaction: it stays even when the caller's work rolls back. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordIndependently(String actor, String action, String objectType, Long objectId, String summary,
                                    String detail) {
        record(actor, action, objectType, objectId, summary, detail);
    }

    /**
     * Records an inventory change by the signed-in user (or "system"), with before and after as JSON. Callers pass
     * values that carry no secrets.
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public void change(String action, String objectType, Long objectId, String summary, Object before, Object after) {
        record(currentActor(), action, objectType, objectId, summary, detail(before, after));
    }

    /** An inventory change for {@link #changes}: as {@link #change}'s arguments. */
    public record Change(String action, String objectType, Long objectId, String summary, Object before,
                         Object after) {
    }

    /**
     * Records many inventory changes by the signed-in user in the caller's transaction, as {@link #change} records
     * each, written with one COPY (a bulk import records tens of thousands).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void changes(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Instant at = clock.instant();
        String person = currentActor();
        String worker = WORKER.get();
        String actor = worker != null && !worker.equals(person) ? worker : person;
        String forWhom = worker != null && !worker.equals(person) ? person : null;
        String who = forWhom == null ? actor : actor + " for " + forWhom;
        CopyRows rows = new CopyRows();
        for (Change change : changes) {
            rows.row(OffsetDateTime.ofInstant(at, ZoneOffset.UTC), actor, forWhom,
                    change.action(), change.objectType(), change.objectId(), summaryOf(change.summary()),
                    detail(change.before(), change.after()));
        }
        rows.into(dataSource, "audit_event (at, actor, on_behalf_of, action, object_type, object_id, summary, "
                + "detail)");
        for (Change change : changes) {
            publisher.publishEvent(new AuditRecorded(at, who, change.action(), change.objectType(),
                    change.objectId(), summaryOf(change.summary())));
        }
    }

    private String detail(Object before, Object after) {
        return "before: " + (before == null ? "-" : json.writeValueAsString(before))
                + "\nafter: " + (after == null ? "-" : json.writeValueAsString(after));
    }

    public static String currentActor() {
        var auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null || !auth.isAuthenticated() ? "system" : auth.getName();
    }

    @Transactional(readOnly = true)
    /** Audit lists sort by at, actor, action or object ({@code field,asc|desc}); newest first. */
    public static Sort sort(String spec) {
        return Paging.sort(spec, Map.of(
                "at", Paging.Column.plain("at"),
                "actor", Paging.Column.text("actor"),
                "action", Paging.Column.plain("action"),
                "object", Paging.Column.plain("objectType")),
                Sort.by(Sort.Direction.DESC, "at", "id"));
    }

    /** The newest first when the pageable has no sort of its own. */
    public Page<AuditEvent> search(String actor, String objectType, String text, Instant from, Pageable pageable) {
        if (pageable.getSort().isUnsorted()) {
            pageable = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(),
                    sort(null));
        }
        return events.search(actor == null ? "" : actor.strip(), objectType == null ? "" : objectType,
                text == null ? "" : text.strip(), from, pageable);
    }

    @Transactional(readOnly = true)
    public Page<AuditEvent> of(String objectType, long objectId, Pageable pageable) {
        return events.findByObjectTypeAndObjectIdOrderByAtDescIdDesc(objectType, objectId, pageable);
    }

    /** A summary as the trail keeps it: at most 500 characters (the column's size). */
    private static String summaryOf(String text) {
        return Texts.abbreviate(text, 500);
    }
}
