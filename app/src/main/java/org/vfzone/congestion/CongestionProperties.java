package org.vfzone.congestion;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code vfzone.congestion}.
 *
 * @param interval        how often each fabric's switch ports are read
 * @param retention       how long the hourly port counters and the logins are kept
 * @param rawRetention    how long each reading is kept as reported (pages up to six hours read them)
 * @param threads         fabrics polled at the same time
 * @param txWaitPercent   default TxWait share of an interval, in percent, from which a port counts as slow-draining:
 *                        30, the credit-starvation level of Brocade's Fabric Performance Impact monitoring
 *                        (IO_PERF_IMPACT: credit zero for 30 % of 10 s)
 * @param causeShare      default share of a slow-draining port's traffic, in percent, from which a VM behind it is
 *                        named the likely cause rather than a bystander: 50, a majority (vfzone's own choice)
 */
@ConfigurationProperties("vfzone.congestion")
public record CongestionProperties(@DefaultValue("PT5M") Duration interval,
                                   @DefaultValue("P30D") Duration retention,
                                   @DefaultValue("P2D") Duration rawRetention,
                                   @DefaultValue("4") int threads,
                                   @DefaultValue("30") double txWaitPercent,
                                   @DefaultValue("50") double causeShare) {
}
