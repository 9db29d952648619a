package org.vfzone.notification;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Notification settings, under {@code vfzone.public-url} and {@code vfzone.notifications}.
 *
 * @param publicUrl     the address people reach vfzone at, for links in messages; unset, links are paths
 * @param notifications mail sender and the internal networks webhooks may reach
 */
@ConfigurationProperties("vfzone")
public record NotificationProperties(@DefaultValue("") String publicUrl, @DefaultValue Notifications notifications) {

    /**
     * @param mailFrom               the From address of e-mail notifications
     * @param webhookAllowedNetworks internal networks (CIDR) or host names webhooks may reach; none by default
     */
    public record Notifications(@DefaultValue("vfzone@localhost") String mailFrom,
                                @DefaultValue List<String> webhookAllowedNetworks) {
    }
}
