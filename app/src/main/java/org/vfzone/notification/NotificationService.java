package org.vfzone.notification;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.FabricService;
import org.vfzone.notification.internal.NotificationChannelRepository;
import org.vfzone.security.CredentialCipher;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.Texts;
import org.vfzone.zoning.ZoningEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notification channels, and the outbox: every zoning event a channel subscribes to becomes a delivery row in the
 * transaction that records the event, so nothing that happened goes unannounced and nothing is announced that did
 * not happen. {@link NotificationSender} sends the rows.
 */
@Service
@Transactional
public class NotificationService {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;]+$");

    private final NotificationChannelRepository channels;
    private final CredentialCipher cipher;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final JsonMapper json;
    private final String publicUrl;

    private final WebhookTargets webhookTargets;
    private final ObjectProvider<JavaMailSender> mail;
    private final FabricService fabrics;

    /** Whether an SMTP server is configured ({@code spring.mail.host}): without one an e-mail channel cannot send. */
    public boolean mailConfigured() {
        return mail.getIfAvailable() != null;
    }

    private Set<Long> fabricsOf(NotificationChannelForm form) {
        Set<Long> ids = form.fabricIds() == null ? Set.of() : Set.copyOf(form.fabricIds());
        for (Long id : ids) {
            try {
                fabrics.get(id);
            } catch (NotFoundException e) {
                throw RuleViolation.invalid("fabricIds", "fabric " + id + " does not exist");
            }
        }
        return ids;
    }

    private void requireMail(NotificationChannelForm form) {
        if (form.kind() == NotificationChannel.Kind.EMAIL && !mailConfigured()) {
            throw RuleViolation.invalid("kind", "no SMTP server is configured (spring.mail.host), so an e-mail "
                    + "channel could not send; configure one, or use a webhook");
        }
    }

    NotificationService(NotificationChannelRepository channels, CredentialCipher cipher, JdbcTemplate jdbc,
                        AuditLog audit, Clock clock, JsonMapper json,
                        NotificationProperties properties, WebhookTargets webhookTargets,
                        ObjectProvider<JavaMailSender> mail,
                        FabricService fabrics) {
        this.mail = mail;
        this.fabrics = fabrics;
        this.webhookTargets = webhookTargets;
        this.channels = channels;
        this.cipher = cipher;
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
        String publicUrl = properties.publicUrl();
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** SQL: the enabled channels whose latest delivery failed for good or is being retried after a failure. */
    static final String FAILING_CHANNELS = """
            select c.id from notification_channel c
             where c.enabled and exists (select 1 from notification_delivery d
                    where d.id = (select max(l.id) from notification_delivery l where l.channel_id = c.id)
                      and (d.status = 'FAILED' or (d.status = 'PENDING' and d.attempts > 0)))
            """;
    static final String FAILING_CHANNELS_COUNT = "select count(*) from (" + FAILING_CHANNELS + ") f";

    /** The ids of channels failing now (see {@link #FAILING_CHANNELS}). */
    @Transactional(readOnly = true)
    public Set<Long> failingChannelIds() {
        return Set.copyOf(jdbc.queryForList(FAILING_CHANNELS, Long.class));
    }

    @Transactional(readOnly = true)
    public List<NotificationChannel> list() {
        return channels.findAllByOrderByNameAsc();
    }

    @Transactional(readOnly = true)
    public NotificationChannel get(long id) {
        return channels.findById(id).orElseThrow(() -> new NotFoundException("Notification channel", id));
    }

    public NotificationChannel create(NotificationChannelForm form, String user) {
        String name = form.name().strip();
        if (channels.existsByNameIgnoreCase(name)) {
            throw RuleViolation.conflict("name", "a channel named " + name + " already exists");
        }
        requireMail(form);
        String target = target(form);
        String secret = secret(form, null);
        Set<Long> fabricIds = fabricsOf(form);
        NotificationChannel channel = channels.save(new NotificationChannel(name, form.kind(), target, secret,
                form.events(), user, clock.instant()));
        channel.setFabricIds(fabricIds);
        if (form.enabled() != null) {
            channel.setEnabled(form.enabled());
        }
        audit.record(user, "CREATE", "notification_channel", channel.getId(), "Created " + form.kind()
                + " notification channel " + name + " for " + form.events(), null);
        return channel;
    }

    public NotificationChannel update(long id, NotificationChannelForm form, String user) {
        NotificationChannel channel = get(id);
        if (form.kind() != channel.getKind()) {
            throw RuleViolation.invalid("kind", "a channel keeps its kind; make a new channel instead");
        }
        requireMail(form);
        String target = target(form);
        boolean targetChanged = !target.equals(channel.getTarget());
        channel.setFabricIds(fabricsOf(form));
        channel.setName(form.name().strip());
        channel.setTarget(target);
        // the secret only ever signs for the URL it was given for: a new URL without a new secret drops it
        String secret = secret(form, targetChanged ? null : channel.getSecretEnc());
        channel.setSecretEnc(secret);
        channel.setEvents(form.events());
        if (form.enabled() != null) {
            channel.setEnabled(form.enabled());
        }
        audit.record(user, "UPDATE", "notification_channel", id, "Changed notification channel " + channel.getName()
                + (targetChanged && form.kind() == NotificationChannel.Kind.WEBHOOK && secret == null
                ? " (the webhook URL changed: its stored secret was removed)" : ""), null);
        return channel;
    }

    public void delete(long id, String user) {
        NotificationChannel channel = get(id);
        channels.delete(channel);
        audit.record(user, "DELETE", "notification_channel", id, "Deleted notification channel "
                + channel.getName(), null);
    }

    public record Delivery(long id, String event, String subject, String status, int attempts, Instant createdAt,
                           Instant sentAt, Instant nextAttemptAt, String lastError) {
    }

    /** The newest deliveries of a channel: what was sent, what is still being tried, what failed and why. */
    @Transactional(readOnly = true)
    public List<Delivery> deliveries(long channelId, int limit) {
        get(channelId);
        return jdbc.query("""
                select id, event, subject, status, attempts, created_at, sent_at, next_attempt_at, last_error
                  from notification_delivery where channel_id = ? order by created_at desc, id desc limit ?
                """, (rs, n) -> new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getInt(5), rs.getTimestamp(6).toInstant(), Texts.instant(rs.getTimestamp(7)),
                Texts.instant(rs.getTimestamp(8)), rs.getString(9)), channelId, limit);
    }

    /**
     * Writes a delivery for every enabled channel that wants this event, once the zoning change is committed; the
     * event registry hands the event again if this fails or the node stops first, and a delivery is written once.
     */
    @ApplicationModuleListener
    void on(ZoningEvent event) {
        for (NotificationChannel channel : channels.findByEnabledTrue()) {
            if (!channel.getEvents().contains(event.kind()) || !channel.hears(event.fabricId())) {
                continue;
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("event", event.kind().name());
            payload.put("at", clock.instant().toString());
            payload.put("fabric", Map.of("id", event.fabricId(), "name", String.valueOf(event.fabricName())));
            payload.put("changeSetId", event.changeSetId());
            payload.put("actor", event.actor());
            payload.put("summary", event.summary());
            payload.put("detail", event.detail());
            payload.put("link", link(event));
            jdbc.update("""
                    insert into notification_delivery (channel_id, event, subject, payload, event_id)
                    values (?, ?, ?, ?, ?) on conflict (channel_id, event_id) do nothing
                    """, channel.getId(), event.kind().name(),
                    Texts.abbreviate("[vfzone] " + event.summary(), 500),
                    json.writeValueAsString(payload), event.eventId());
        }
    }

    private String link(ZoningEvent event) {
        String path = event.changeSetId() != null ? "/changes/" + event.changeSetId()
                : event.kind() == ZoningEvent.Kind.PORT_SLOW_DRAINING ? "/fabrics/" + event.fabricId() + "/congestion"
                : "/fabrics/" + event.fabricId();
        return publicUrl.isEmpty() ? path : publicUrl + path;
    }

    private String target(NotificationChannelForm form) {
        String target = form.target().strip();
        if (form.kind() == NotificationChannel.Kind.EMAIL) {
            List<String> addresses = List.of(target.split("\\s*,\\s*"));
            for (String address : addresses) {
                if (!EMAIL.matcher(address).matches()) {
                    throw RuleViolation.invalid("target", "'" + address + "' is not an e-mail address");
                }
            }
            return String.join(",", addresses);
        }
        URI uri;
        try {
            uri = URI.create(target);
        } catch (IllegalArgumentException e) {
            throw RuleViolation.invalid("target", "is not a URL");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw RuleViolation.invalid("target", "must be an http:// or https:// URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw RuleViolation.invalid("target", "must not carry a user name or password; sign deliveries with the "
                    + "channel's secret instead");
        }
        String refusal = webhookTargets.refusal(uri);
        if (refusal != null) {
            throw RuleViolation.invalid("target", refusal);
        }
        return target;
    }

    private String secret(NotificationChannelForm form, String kept) {
        boolean given = form.secret() != null && !form.secret().isEmpty();
        if (form.kind() == NotificationChannel.Kind.EMAIL) {
            if (given) {
                throw RuleViolation.invalid("secret", "only a webhook has a secret");
            }
            return null;
        }
        return given ? cipher.encrypt(form.secret()) : kept;
    }

}
