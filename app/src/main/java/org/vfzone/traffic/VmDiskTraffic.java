package org.vfzone.traffic;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-VM disk IO as a hypervisor manager reports it (vCenter's real-time 20-second averages over the VM's virtual
 * disks): rates, per VM rather than per fabric, kept as reported for {@code vm-sample-retention}, and as hourly
 * averages ({@code traffic_vm_1h}) as long as the counters' hourly rollups.
 */
@Component
public class VmDiskTraffic {

    /** One sample of one VM: the averages over {@code intervalSeconds} ending at {@code at}; MB are 10^6 bytes. */
    public record Sample(long vmId, Instant at, int intervalSeconds, float readIops, float writeIops, float readMbps,
                         float writeMbps) {
    }

    private final JdbcTemplate jdbc;
    private final TrafficPartitions partitions;
    private final TrafficProperties properties;
    private final Clock clock;

    VmDiskTraffic(JdbcTemplate jdbc, TrafficPartitions partitions, TrafficProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.partitions = partitions;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Stores the samples (one statement); a sample already stored, ahead of the clock beyond the allowed skew, or
     * older than the retention is not. Answers how many were stored.
     */
    @Transactional
    public int store(List<Sample> samples) {
        Instant now = clock.instant();
        Instant newest = now.plus(properties.maxFuture());
        Instant oldest = now.minus(properties.vmSampleRetention());
        List<Sample> valid = samples.stream().filter(s -> !s.at().isAfter(newest) && !s.at().isBefore(oldest)
                && s.intervalSeconds() > 0).toList();
        if (valid.isEmpty()) {
            return 0;
        }
        Set<LocalDate> days = new HashSet<>();
        valid.forEach(s -> days.add(LocalDate.ofInstant(s.at(), ZoneOffset.UTC)));
        days.forEach(partitions::ensureDay);
        int n = valid.size();
        Long[] vms = new Long[n];
        Timestamp[] at = new Timestamp[n];
        Integer[] interval = new Integer[n];
        Float[][] rates = new Float[4][n];
        for (int i = 0; i < n; i++) {
            Sample s = valid.get(i);
            vms[i] = s.vmId();
            at[i] = Timestamp.from(s.at());
            interval[i] = s.intervalSeconds();
            rates[0][i] = s.readIops();
            rates[1][i] = s.writeIops();
            rates[2][i] = s.readMbps();
            rates[3][i] = s.writeMbps();
        }
        return jdbc.update("""
                insert into traffic_vm_sample (vm_id, ts, interval_s, read_iops, write_iops, read_mbps, write_mbps)
                select * from unnest(?::bigint[], ?::timestamptz[], ?::smallint[], ?::real[], ?::real[], ?::real[],
                                     ?::real[])
                on conflict (vm_id, ts) do nothing
                """, vms, at, interval, rates[0], rates[1], rates[2], rates[3]);
    }

    /** The newest sample stored for each of the VMs, for those that have one. */
    @Transactional(readOnly = true)
    public Map<Long, Instant> newest(List<Long> vmIds, Instant notBefore) {
        Map<Long, Instant> newest = new LinkedHashMap<>();
        jdbc.query("select vm_id, max(ts) from traffic_vm_sample where vm_id = any (?) and ts >= ? group by vm_id",
                rs -> {
                    newest.put(rs.getLong(1), rs.getTimestamp(2).toInstant());
                }, vmIds.toArray(Long[]::new), Timestamp.from(notBefore));
        return newest;
    }

    /**
     * The VM's samples averaged per bucket of {@code step} seconds from {@code from} (aligned as the counters'
     * buckets are): bucket start → read IOPS, write IOPS, read MB/s, write MB/s.
     */
    @Transactional(readOnly = true)
    Map<Long, double[]> buckets(long vmId, Instant from, Instant to, long step) {
        Map<Long, double[]> buckets = new LinkedHashMap<>();
        // buckets of an hour or more from the hourly averages (kept for years), shorter ones from the samples
        String source = step >= 3600 ? "traffic_vm_1h" : "traffic_vm_sample";
        String time = step >= 3600 ? "bucket" : "ts";
        jdbc.query("""
                select extract(epoch from date_bin(make_interval(secs => ?), %2$s, timestamptz '2000-01-01'))::bigint,
                       avg(read_iops), avg(write_iops), avg(read_mbps), avg(write_mbps)
                  from %1$s where vm_id = ? and %2$s >= ? and %2$s < ? group by 1 order by 1
                """.formatted(source, time), rs -> {
                    buckets.put(rs.getLong(1), new double[] {rs.getDouble(2), rs.getDouble(3), rs.getDouble(4),
                            rs.getDouble(5)});
                }, (double) step, vmId, Timestamp.from(from), Timestamp.from(to));
        return buckets;
    }
}
