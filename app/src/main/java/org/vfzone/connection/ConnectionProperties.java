package org.vfzone.connection;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code vfzone.fabric} for reaching fabrics.
 *
 * @param requestTimeout how long one request to a switch may take (connect, send, answer)
 */
@ConfigurationProperties("vfzone.fabric")
public record ConnectionProperties(@DefaultValue("20s") Duration requestTimeout) {
}
