package org.vfzone.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code vfzone.audit}.
 *
 * @param syslog where the audit trail is forwarded as RFC 5424 syslog, if anywhere
 */
@ConfigurationProperties("vfzone.audit")
public record AuditProperties(@DefaultValue Syslog syslog) {

    /**
     * @param host     the collector; unset, nothing is forwarded
     * @param protocol {@code udp} or {@code tcp} (octet-counted framing)
     * @param facility the syslog facility number (13: log audit)
     */
    public record Syslog(String host, @DefaultValue("514") int port, @DefaultValue("udp") String protocol,
                         @DefaultValue("13") int facility) {
    }
}
