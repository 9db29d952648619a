package org.vfzone.congestion;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code vfzone.congestion}.
 *
 * @param interval        how often each fabric's switch ports are read
 * @param retention       how long port counters and logins are kept
 * @param threads         fabrics polled at the same time
 * @param txWaitPercent   TxWait share of an interval, in percent, from which a port counts as congested
 * @param causeShare      share of a congested port's traffic, in percent, from which a VM behind it is named a likely
 *                        cause rather than a bystander
 */
@ConfigurationProperties("vfzone.congestion")
public record CongestionProperties(@DefaultValue("PT5M") Duration interval,
                                   @DefaultValue("P30D") Duration retention,
                                   @DefaultValue("4") int threads,
                                   @DefaultValue("5") double txWaitPercent,
                                   @DefaultValue("50") double causeShare) {
}
