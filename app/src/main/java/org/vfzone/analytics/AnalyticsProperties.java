package org.vfzone.analytics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code vfzone.analytics}.
 *
 * @param interval            how often each fabric's switch is asked for its flows
 * @param unavailableInterval how often a fabric whose switch had no analytics is asked again
 * @param threads             fabrics polled at the same time (a slow switch holds one thread, not the others)
 */
@ConfigurationProperties("vfzone.analytics")
public record AnalyticsProperties(@DefaultValue("PT1M") Duration interval,
                                  @DefaultValue("PT10M") Duration unavailableInterval,
                                  @DefaultValue("4") int threads) {
}
