package org.vfzone.notification;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLException;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.notification.internal.NotificationChannelRepository;
import org.vfzone.security.CredentialCipher;
import org.vfzone.system.NotFoundException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the deliveries that are due: e-mail over SMTP (Spring Mail, {@code spring.mail.*}) and webhooks (a JSON
 * POST signed with HMAC-SHA256 of the body in {@code X-Vfzone-Signature-256: sha256=<hex>}, as GitHub signs its
 * webhooks). A failed delivery is tried again after 30 s, 1, 2, 4… minutes (at most an hour apart), eight times
 * in all; every attempt's outcome stays in the delivery log. Each delivery row is claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so several nodes never send one twice.
 */
@Component
public class NotificationSender {

    static final int MAX_ATTEMPTS = 8;
    private static final int BATCH = 20;
    private static final Logger log = LoggerFactory.getLogger(NotificationSender.class);

    private record Due(long id, long channelId, String event, String subject, String payload, int attempts) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final NotificationChannelRepository channels;
    private final CredentialCipher cipher;
    private final ObjectProvider<JavaMailSender> mail;
    private final JsonMapper json;
    private final Clock clock;
    private final String mailFrom;
    private final WebhookTargets webhookTargets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    NotificationSender(JdbcTemplate jdbc, TransactionTemplate transaction, NotificationChannelRepository channels,
                       CredentialCipher cipher, ObjectProvider<JavaMailSender> mail,
                       JsonMapper json, Clock clock,
                       NotificationProperties properties, WebhookTargets webhookTargets) {
        String mailFrom = properties.notifications().mailFrom();
        this.webhookTargets = webhookTargets;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.channels = channels;
        this.cipher = cipher;
        this.mail = mail;
        this.json = json;
        this.clock = clock;
        this.mailFrom = mailFrom;
    }

    @Scheduled(fixedDelayString = "${vfzone.notifications.interval:PT10S}")
    @SchedulerLock(name = "notification-delivery", lockAtMostFor = "PT10M")
    public void onSchedule() {
        int sent;
        do {
            sent = deliverDue();
        } while (sent == BATCH);
    }

    /**
     * How long a claimed batch is kept from other senders: longer than a batch can take (20 deliveries, each at most
     * a 10 s connect and a 15 s answer). A node that stops while sending leaves its batch to be sent again after it.
     */
    static final Duration CLAIM = Duration.ofMinutes(10);

    /**
     * Sends (or tries again) up to a batch of due deliveries; returns how many it tried. The batch is claimed in one
     * short transaction, sent with no transaction or connection held (a slow receiver holds no lock), and each
     * outcome recorded in a transaction of its own.
     */
    public int deliverDue() {
        List<Due> due = transaction.execute(status -> jdbc.query("""
                update notification_delivery set next_attempt_at = ?
                 where id in (select id from notification_delivery
                               where status = 'PENDING' and next_attempt_at <= ? order by next_attempt_at, id
                               limit ? for update skip locked)
                returning id, channel_id, event, subject, payload, attempts
                """, (rs, n) -> new Due(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getInt(6)), Timestamp.from(clock.instant().plus(CLAIM)),
                Timestamp.from(clock.instant()), BATCH));
        if (due == null) {
            return 0;
        }
        for (Due delivery : due.stream().sorted(Comparator.comparingLong(Due::id)).toList()) {
            String error = send(delivery);
            record(delivery, error);
        }
        return due.size();
    }

    private void record(Due delivery, String error) {
        int attempts = delivery.attempts() + 1;
        transaction.executeWithoutResult(status -> {
            if (error == null) {
                jdbc.update("update notification_delivery set status = 'SENT', attempts = ?, sent_at = ?,"
                        + " last_error = null where id = ?", attempts, Timestamp.from(clock.instant()), delivery.id());
            } else {
                boolean last = attempts >= MAX_ATTEMPTS;
                long backoff = Math.min(3600, 30L << Math.min(attempts - 1, 7));
                jdbc.update("update notification_delivery set status = ?, attempts = ?, last_error = ?,"
                                + " next_attempt_at = ? where id = ?", last ? "FAILED" : "PENDING", attempts,
                        error.length() > 1000 ? error.substring(0, 1000) : error,
                        Timestamp.from(clock.instant().plusSeconds(backoff)), delivery.id());
            }
        });
        if (error != null) {
            log.warn("Notification {} ({}) not delivered, attempt {}: {}", delivery.id(), delivery.event(),
                    attempts, error);
        }
    }

    /** Sends one delivery; null when it was accepted, else why not. */
    private String send(Due delivery) {
        NotificationChannel channel = channels.findById(delivery.channelId()).orElse(null);
        if (channel == null) {
            return "the channel was deleted";
        }
        try {
            return switch (channel.getKind()) {
                case EMAIL -> email(channel, delivery);
                case WEBHOOK -> webhook(channel, delivery);
            };
        } catch (RuntimeException e) {
            return describe(e);
        }
    }

    /**
     * Why a delivery failed, in words: the innermost cause's own message, or what its kind means when it has none
     * (a refused connection carries no message).
     */
    static String describe(Throwable e) {
        String meaning = null;
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (meaning == null) {
                meaning = t instanceof ConnectException ? "connection refused or no route to the host"
                        : t instanceof HttpTimeoutException ? "no answer within the time allowed"
                        : t instanceof UnknownHostException ? "the host name does not resolve"
                        : t instanceof SSLException ? "TLS failed"
                        : t instanceof MailAuthenticationException
                        ? "the SMTP server refused the sign-in" : null;
            }
            if (message == null && t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage().replaceAll("[\\r\\n]+", " ");
            }
        }
        if (message == null) {
            return meaning != null ? meaning : e.getClass().getSimpleName();
        }
        return meaning != null && !message.toLowerCase(Locale.ROOT).contains(meaning.split(" ")[0])
                ? meaning + ": " + message : message;
    }

    /**
     * Sends a test message to the channel now, outside the queue, and records it in the channel's delivery log;
     * null when the receiver accepted it, else why not.
     */
    public String sendTest(long channelId, String user) {
        NotificationChannel channel = channels.findById(channelId).orElseThrow(() ->
                new NotFoundException("Notification channel", channelId));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", "TEST");
        payload.put("at", clock.instant().toString());
        payload.put("actor", user);
        payload.put("summary", "Test message from vfzone to channel " + channel.getName() + ", sent by " + user);
        payload.put("detail", null);
        payload.put("link", "/notifications/" + channelId);
        String body = json.writeValueAsString(payload);
        String subject = "[vfzone] Test message to channel " + channel.getName();
        Long id = jdbc.queryForObject("insert into notification_delivery (channel_id, event, subject, payload, "
                + "status, attempts) values (?, 'TEST', ?, ?, 'FAILED', 0) returning id", Long.class, channelId,
                subject, body);
        String error = send(new Due(id, channelId, "TEST", subject, body, 0));
        jdbc.update("update notification_delivery set status = ?, attempts = 1, last_error = ?, sent_at = ? "
                + "where id = ?", error == null ? "SENT" : "FAILED", error == null ? null
                : error.length() > 1000 ? error.substring(0, 1000) : error,
                error == null ? Timestamp.from(clock.instant()) : null, id);
        return error;
    }

    private String email(NotificationChannel channel, Due delivery) {
        JavaMailSender sender = mail.getIfAvailable();
        if (sender == null) {
            return "no SMTP server is configured (spring.mail.host)";
        }
        Map<?, ?> payload = json.readValue(delivery.payload(), Map.class);
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(mailFrom);
        message.setTo(channel.getTarget().split(","));
        message.setSubject(delivery.subject());
        message.setText(payload.get("summary") + "\n\n" + (payload.get("detail") == null ? "" : payload.get("detail")
                + "\n\n") + "Open: " + payload.get("link") + "\n\nEvent " + payload.get("event") + " at "
                + payload.get("at") + ", by " + payload.get("actor") + ".\n");
        sender.send(message);
        return null;
    }

    private String webhook(NotificationChannel channel, Due delivery) {
        URI target = URI.create(channel.getTarget());
        // again now: the name may resolve elsewhere than when the channel was saved
        String refusal = webhookTargets.refusal(target);
        if (refusal != null) {
            return "not sent: " + refusal;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header("User-Agent", "vfzone-webhook")
                .header("X-Vfzone-Event", delivery.event())
                .header("X-Vfzone-Delivery", String.valueOf(delivery.id()))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.payload(), StandardCharsets.UTF_8));
        if (channel.hasSecret()) {
            request.header("X-Vfzone-Signature-256", "sha256=" + hmac(cipher.decrypt(channel.getSecretEnc()),
                    delivery.payload()));
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "the receiver answered HTTP " + response.statusCode();
        } catch (IOException e) {
            return "cannot reach the receiver at " + target.getHost() + ": " + describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** HMAC-SHA256 of the body with the channel's secret, hex: what a receiver recomputes to trust the body. */
    static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
