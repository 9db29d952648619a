package org.vfzone.notification;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.vfzone.system.BaseEntity;
import org.vfzone.zoning.ZoningEvent;

/** Where notifications go (e-mail addresses, or a webhook URL signed with a secret) and which events it wants. */
@Entity
@Table(name = "notification_channel")
public class NotificationChannel extends BaseEntity {

    public enum Kind { EMAIL, WEBHOOK }

    private String name;
    @Enumerated(EnumType.STRING)
    private Kind kind;
    private String target;
    private String secretEnc;
    private String events;
    private boolean enabled = true;
    private String createdBy;
    private Instant createdAt;
    /** The fabrics whose events the channel hears of; empty: every fabric. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    private Long[] fabricIds = new Long[0];

    protected NotificationChannel() {
    }

    NotificationChannel(String name, Kind kind, String target, String secretEnc, Set<ZoningEvent.Kind> events,
                        String createdBy, Instant createdAt) {
        this.name = name;
        this.kind = kind;
        this.target = target;
        this.secretEnc = secretEnc;
        setEvents(events);
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    public String getName() { return name; }
    public Kind getKind() { return kind; }
    public String getTarget() { return target; }
    public boolean isEnabled() { return enabled; }
    public String getCreatedBy() { return createdBy; }
    public Instant getCreatedAt() { return createdAt; }
    String getSecretEnc() { return secretEnc; }

    /** Whether a webhook secret is stored; the secret itself is never shown again. */
    public boolean hasSecret() {
        return secretEnc != null;
    }

    public Set<ZoningEvent.Kind> getEvents() {
        return events.isEmpty() ? EnumSet.noneOf(ZoningEvent.Kind.class) : Arrays.stream(events.split(","))
                .map(ZoningEvent.Kind::valueOf).collect(Collectors.toCollection(() -> EnumSet.noneOf(ZoningEvent.Kind.class)));
    }

    void setEvents(Set<ZoningEvent.Kind> kinds) {
        this.events = kinds.stream().sorted().map(Enum::name).collect(Collectors.joining(","));
    }

    public Set<Long> getFabricIds() {
        return fabricIds == null ? Set.of() : Set.of(fabricIds);
    }

    void setFabricIds(Set<Long> ids) {
        this.fabricIds = ids == null ? new Long[0] : ids.stream().sorted().toArray(Long[]::new);
    }

    /** Whether an event of this fabric (null: of no fabric) reaches the channel. */
    boolean hears(Long fabricId) {
        return fabricIds == null || fabricIds.length == 0 || fabricId == null || getFabricIds().contains(fabricId);
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    void setName(String name) {
        this.name = name;
    }

    void setTarget(String target) {
        this.target = target;
    }

    void setSecretEnc(String secretEnc) {
        this.secretEnc = secretEnc;
    }
}
