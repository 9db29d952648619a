package org.vfzone.notification;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.vfzone.zoning.ZoningEvent;

/** Notification channels and their delivery logs (ADMIN). Webhook secrets are write-only. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Notifications", description = "E-mail and webhook channels for zoning events, and their delivery logs (ADMIN)")
@RequestMapping("/api/notification-channels")
class NotificationApiController {

    private final NotificationService notifications;

    private final NotificationSender sender;

    NotificationApiController(NotificationService notifications, NotificationSender sender) {
        this.notifications = notifications;
        this.sender = sender;
    }

    /** {@code fabricIds} empty: the channel hears of every fabric. */
    record ChannelDto(long id, String name, NotificationChannel.Kind kind, String target, boolean secretStored,
                      Set<ZoningEvent.Kind> events, boolean enabled, String createdBy, Instant createdAt,
                      Set<Long> fabricIds) {
        static ChannelDto of(NotificationChannel c) {
            return new ChannelDto(c.getId(), c.getName(), c.getKind(), c.getTarget(), c.hasSecret(), c.getEvents(),
                    c.isEnabled(), c.getCreatedBy(), c.getCreatedAt(), c.getFabricIds());
        }
    }

    record TestResult(boolean sent, String error) {
    }

    /** Sends a test message now (outside the queue), recorded in the delivery log: whether it was accepted, or why not. */
    @PostMapping("/{id}/test")
    TestResult test(@PathVariable long id, Principal user) {
        String error = sender.sendTest(id, user.getName());
        return new TestResult(error == null, error);
    }

    @GetMapping
    List<ChannelDto> list() {
        return notifications.list().stream().map(ChannelDto::of).toList();
    }

    @GetMapping("/{id}")
    ChannelDto get(@PathVariable long id) {
        return ChannelDto.of(notifications.get(id));
    }

    @PostMapping
    ResponseEntity<ChannelDto> create(@Valid @RequestBody NotificationChannelForm form, Principal user) {
        NotificationChannel channel = notifications.create(form, user.getName());
        return ResponseEntity.created(URI.create("/api/notification-channels/" + channel.getId()))
                .body(ChannelDto.of(channel));
    }

    @PutMapping("/{id}")
    ChannelDto update(@PathVariable long id, @Valid @RequestBody NotificationChannelForm form, Principal user) {
        return ChannelDto.of(notifications.update(id, form, user.getName()));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id, Principal user) {
        notifications.delete(id, user.getName());
        return ResponseEntity.noContent().build();
    }

    /** The newest deliveries: sent, still being tried (with the last error) or given up. */
    @GetMapping("/{id}/deliveries")
    List<NotificationService.Delivery> deliveries(@PathVariable long id,
                                                  @RequestParam(defaultValue = "100") int limit) {
        return notifications.deliveries(id, Math.max(1, Math.min(limit, 1000)));
    }
}
