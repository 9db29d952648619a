package org.vfzone.traffic;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code vfzone.traffic.*}.
 *
 * @param rawRetention     how long raw samples are kept (whole days are dropped); closed days are kept compacted
 * @param fiveMinRetention how long 5-minute rollups are kept (whole months are dropped)
 * @param hourlyRetention  how long hourly rollups are kept
 * @param gap              a longer pause between two snapshots of one WWPN is a gap, not one long average
 * @param maxFuture        how far ahead of the server clock a snapshot may be (clock skew)
 * @param maxBatch         most snapshots accepted in one request
 * @param maxRequestSize   largest request body accepted (413 above it), read into memory before any database work
 * @param bodyReadTimeout  longest time a client may take to send its body (408 after it)
 * @param concurrentReads  request bodies read at the same time (503 with Retry-After above it)
 * @param concurrentStores writer threads storing groups of batches, each with one database connection: ingest never
 *                         takes more than this share of the pool
 * @param storeWait        with a minute more, how long a request waits for its group's commit before it is
 *                         answered 503 (its batch may still be stored; a resend stores nothing twice)
 * @param groupWait        how long a writer waits for more requests to store in one transaction (group commit)
 * @param maxGroup         most requests stored in one transaction
 * @param groupQueue       requests waiting for a writer (503 with Retry-After when full)
 * @param compactAfter     how long after an hour ends its raw snapshots are compacted into blocks
 * @param sourceTakeover   how long no host collector must have reported an initiator before switch analytics serves
 *                         it (a collector that reports again takes it back at once)
 * @param busyQueue        batches waiting for a writer from which the server asks collectors to send several readings
 *                         per request ({@code Vfzone-Readings-Per-Request}), and {@code busyReadings} of them
 * @param busyReadings     readings per request the server asks for while busy
 * @param vmSampleRetention how long per-VM disk samples from vCenter (20 s apart) are kept; their hourly averages
 *                         are kept as long as the counters' hourly rollups
 */
@ConfigurationProperties("vfzone.traffic")
public record TrafficProperties(
        @DefaultValue("90d") Duration rawRetention,
        @DefaultValue("180d") Duration fiveMinRetention,
        @DefaultValue("1095d") Duration hourlyRetention,
        @DefaultValue("10m") Duration gap,
        @DefaultValue("5m") Duration maxFuture,
        @DefaultValue("100000") int maxBatch,
        @DefaultValue("64MB") DataSize maxRequestSize,
        @DefaultValue("60s") Duration bodyReadTimeout,
        @DefaultValue("32") int concurrentReads,
        @DefaultValue("3") int concurrentStores,
        @DefaultValue("5s") Duration storeWait,
        @DefaultValue("2ms") Duration groupWait,
        @DefaultValue("64") int maxGroup,
        @DefaultValue("4096") int groupQueue,
        @DefaultValue("1h") Duration compactAfter,
        @DefaultValue("10m") Duration sourceTakeover,
        @DefaultValue("7d") Duration vmSampleRetention,
        @DefaultValue("1024") int busyQueue,
        @DefaultValue("6") int busyReadings) {
}
