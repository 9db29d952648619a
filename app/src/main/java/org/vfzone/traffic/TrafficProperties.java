package org.vfzone.traffic;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code vfzone.traffic.*}.
 *
 * @param rawRetention     how long raw samples are kept (whole days are dropped)
 * @param fiveMinRetention how long 5-minute rollups are kept (whole months are dropped)
 * @param hourlyRetention  how long hourly rollups are kept
 * @param gap              a longer pause between two snapshots of one WWPN is a gap, not one long average
 * @param maxFuture        how far ahead of the server clock a snapshot may be (clock skew)
 * @param maxBatch         most snapshots accepted in one request
 */
@ConfigurationProperties("vfzone.traffic")
public record TrafficProperties(
        @DefaultValue("14d") Duration rawRetention,
        @DefaultValue("180d") Duration fiveMinRetention,
        @DefaultValue("1095d") Duration hourlyRetention,
        @DefaultValue("10m") Duration gap,
        @DefaultValue("5m") Duration maxFuture,
        @DefaultValue("100000") int maxBatch) {
}
