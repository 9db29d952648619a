package org.vfzone.notification;

import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.vfzone.zoning.ZoningEvent;

/**
 * A channel as an admin enters it. {@code target}: comma-separated e-mail addresses, or the webhook's http(s) URL.
 * {@code secret}: the webhook's HMAC secret, write-only (blank keeps the stored one).
 */
public record NotificationChannelForm(
        @NotBlank @Size(max = 64) @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9 _.-]*$",
                message = "must start with a letter or digit and hold only letters, digits, spaces, '_', '-' and '.'")
        String name,
        @NotNull NotificationChannel.Kind kind,
        @NotBlank @Size(max = 1000) String target,
        @Size(max = 256) String secret,
        @NotEmpty @Size(max = 16) Set<ZoningEvent.Kind> events,
        Boolean enabled,
        @Size(max = 1000) Set<Long> fabricIds) {

    /** Every fabric's events. */
    public NotificationChannelForm(String name, NotificationChannel.Kind kind, String target, String secret,
                                   Set<ZoningEvent.Kind> events, Boolean enabled) {
        this(name, kind, target, secret, events, enabled, Set.of());
    }
}
