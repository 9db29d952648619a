package org.vfzone.audit;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** One entry of the append-only audit trail (the database refuses updates and deletes). */
@Entity
@Immutable
@Table(name = "audit_event")
public class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private Instant at;
    private String actor;
    private String action;
    private String objectType;
    private Long objectId;
    private String summary;
    private String detail;
    /** The person vfzone acted for when the actor is vfzone's own worker (a job, a change window); else null. */
    private String onBehalfOf;

    protected AuditEvent() {
    }

    AuditEvent(Instant at, String actor, String action, String objectType, Long objectId, String summary,
               String detail) {
        this.at = at;
        this.actor = actor;
        this.action = action;
        this.objectType = objectType;
        this.objectId = objectId;
        this.summary = summary;
        this.detail = detail;
    }

    AuditEvent(Instant at, String actor, String onBehalfOf, String action, String objectType, Long objectId,
               String summary, String detail) {
        this(at, actor, action, objectType, objectId, summary, detail);
        this.onBehalfOf = onBehalfOf;
    }

    public Long getId() { return id; }
    public Instant getAt() { return at; }
    public String getActor() { return actor; }
    public String getAction() { return action; }
    public String getObjectType() { return objectType; }
    public Long getObjectId() { return objectId; }
    public String getSummary() { return summary; }
    public String getDetail() { return detail; }
    public String getOnBehalfOf() { return onBehalfOf; }

    /** "operator", or for work vfzone did for someone "job 1a2b3c4d for operator". */
    public String getWho() { return onBehalfOf == null ? actor : actor + " for " + onBehalfOf; }
}
