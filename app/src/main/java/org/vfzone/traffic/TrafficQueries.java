package org.vfzone.traffic;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFields;

/**
 * Chart and report data. The storage tier follows the range — raw samples up to 4 hours, 5-minute rollups up to
 * 6 days, hourly beyond — and buckets are widened so one series never has more than {@link #MAX_POINTS} points.
 * Several initiators (a VM's WWPNs) are summed per bucket after averaging each one within the bucket.
 */
@Component
@Transactional(readOnly = true)
public class TrafficQueries {

    public static final int MAX_POINTS = 2000;
    static final List<String> METRICS = List.of("read_iops", "write_iops", "read_mbps", "write_mbps", "rx_fps",
            "tx_fps", "errors");

    /**
     * A chart: bucket starts (epoch seconds) and one value array per metric, null where there is no data; and the
     * sources its data came from (none when it has no data).
     */
    public record Series(String tier, long stepSeconds, List<Long> x, Map<String, List<Double>> values,
                         List<TrafficSources.Span> sources) {
    }

    private final JdbcTemplate jdbc;
    private final InventoryDirectory inventory;
    private final TrafficCounters counters;
    private final TrafficSources sources;
    private final VmDiskTraffic vmDisks;

    TrafficQueries(JdbcTemplate jdbc, InventoryDirectory inventory, TrafficCounters counters,
                   TrafficSources sources, VmDiskTraffic vmDisks) {
        this.vmDisks = vmDisks;
        this.sources = sources;
        this.counters = counters;
        this.jdbc = jdbc;
        this.inventory = inventory;
    }

    public Series series(List<Long> initiators, Instant from, Instant to) {
        Duration range = Duration.between(from, to);
        String tier;
        long tierStep;
        if (range.compareTo(Duration.ofHours(4)) <= 0) {
            tier = "raw";
            tierStep = 10;
        } else if (range.compareTo(Duration.ofDays(6)) <= 0) {
            tier = "5m";
            tierStep = 300;
        } else {
            tier = "1h";
            tierStep = 3600;
        }
        long step = Math.max(tierStep, (long) Math.ceil(range.getSeconds() / (double) MAX_POINTS / tierStep) * tierStep);
        Map<Long, double[]> byBucket = new LinkedHashMap<>();
        Map<Long, boolean[]> present = new LinkedHashMap<>();
        // the initiators that have data in the period: only their sources are named
        Set<Long> reporting = new HashSet<>();
        if (tier.equals("raw")) {
            rawBuckets(initiators, from, to, step, byBucket, present, reporting);
        } else {
            String inner = """
                    select initiator, date_bin(make_interval(secs => ?), bucket, timestamptz '2000-01-01') as b,
                           avg(read_iops_avg) as read_iops, avg(write_iops_avg) as write_iops,
                           avg(read_mbps_avg) as read_mbps, avg(write_mbps_avg) as write_mbps,
                           avg(rx_fps_avg) as rx_fps, avg(tx_fps_avg) as tx_fps, sum(errors) as errors
                      from %s where initiator = any (?) and bucket >= ? and bucket < ? group by 1, 2"""
                    .formatted(tier.equals("5m") ? "traffic_5m" : "traffic_1h");
            jdbc.query("select extract(epoch from b)::bigint, sum(read_iops), sum(write_iops), sum(read_mbps), "
                    + "sum(write_mbps), sum(rx_fps), sum(tx_fps), sum(errors) from (" + inner + ") per_initiator "
                    + "group by b order by b", rs -> {
                        double[] values = new double[METRICS.size()];
                        boolean[] has = new boolean[METRICS.size()];
                        for (int i = 0; i < METRICS.size(); i++) {
                            values[i] = rs.getDouble(i + 2);
                            has[i] = !rs.wasNull();
                        }
                        byBucket.put(rs.getLong(1), values);
                        present.put(rs.getLong(1), has);
                    }, (double) step, initiators.toArray(Long[]::new), Timestamp.from(from), Timestamp.from(to));
        }
        List<Long> x = new ArrayList<>();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        METRICS.forEach(m -> values.put(m, new ArrayList<>()));
        long first = from.getEpochSecond() - Math.floorMod(from.getEpochSecond() - 946_684_800L, step);
        for (long t = first; t < to.getEpochSecond(); t += step) {
            x.add(t);
            double[] row = byBucket.get(t);
            boolean[] has = present.get(t);
            for (int i = 0; i < METRICS.size(); i++) {
                values.get(METRICS.get(i)).add(row != null && has[i] ? row[i] : null);
            }
        }
        if (!tier.equals("raw")) {
            reporting.addAll(jdbc.queryForList("select distinct initiator from "
                    + (tier.equals("5m") ? "traffic_5m" : "traffic_1h")
                    + " where initiator = any (?) and bucket >= ? and bucket < ?", Long.class,
                    initiators.toArray(Long[]::new), Timestamp.from(from), Timestamp.from(to)));
        }
        return new Series(tier, step, x, values, spansWithData(List.copyOf(reporting), from, to, step, x, values));
    }

    /** The sources behind the points the series has: a stretch of a source without a point is left out. */
    private List<TrafficSources.Span> spansWithData(List<Long> initiators, Instant from, Instant to, long step,
                                                    List<Long> x, Map<String, List<Double>> values) {
        List<Long> withData = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            int bucket = i;
            if (values.values().stream().anyMatch(v -> v.get(bucket) != null)) {
                withData.add(x.get(i));
            }
        }
        if (withData.isEmpty() || initiators.isEmpty()) {
            return List.of();
        }
        return sources.spans(initiators, from, to).stream().filter(span -> withData.stream().anyMatch(t ->
                t < span.to().getEpochSecond() && t + step > span.from().getEpochSecond())).toList();
    }

    /**
     * Raw-tier buckets: each initiator's rates averaged within a bucket (errors summed), then the initiators summed
     * per bucket; a metric no initiator had a value for stays absent.
     */
    private void rawBuckets(List<Long> initiators, Instant from, Instant to, long step, Map<Long, double[]> byBucket,
                            Map<Long, boolean[]> present, Set<Long> reporting) {
        int metrics = METRICS.size();
        double[] sum = new double[metrics];
        int[] count = new int[metrics];
        long[] current = {Long.MIN_VALUE, Long.MIN_VALUE}; // initiator, bucket
        Runnable fold = () -> {
            if (current[1] == Long.MIN_VALUE) {
                return;
            }
            double[] total = byBucket.computeIfAbsent(current[1], b -> new double[metrics]);
            boolean[] has = present.computeIfAbsent(current[1], b -> new boolean[metrics]);
            for (int i = 0; i < metrics; i++) {
                if (count[i] > 0) {
                    // errors are summed within the bucket, rates averaged
                    total[i] += i == metrics - 1 ? sum[i] : sum[i] / count[i];
                    has[i] = true;
                }
            }
            Arrays.fill(sum, 0);
            Arrays.fill(count, 0);
        };
        counters.rates(initiators, from, to, (snapshot, rates) -> {
            reporting.add(snapshot.initiator());
            long seconds = snapshot.ts().getEpochSecond();
            long bucket = seconds - Math.floorMod(seconds - 946_684_800L, step);
            if (snapshot.initiator() != current[0] || bucket != current[1]) {
                fold.run();
                current[0] = snapshot.initiator();
                current[1] = bucket;
            }
            if (rates != null) {
                Float[] values = {rates.readIops(), rates.writeIops(), rates.readMbps(), rates.writeMbps(),
                        rates.rxFps(), rates.txFps(), rates.errors() == null ? null : (float) rates.errors()};
                for (int i = 0; i < metrics; i++) {
                    if (values[i] != null) {
                        sum[i] += values[i];
                        count[i]++;
                    }
                }
            }
        });
        fold.run();
    }

    /** Average, 95th percentile and peak of a metric's values (nulls skipped). */
    public record Stats(Double avg, Double p95, Double peak) {
        static Stats of(List<Double> values) {
            List<Double> present = values.stream().filter(Objects::nonNull).sorted().toList();
            if (present.isEmpty()) {
                return new Stats(null, null, null);
            }
            double avg = present.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double p95 = present.get(Math.max(0, (int) Math.ceil(0.95 * present.size()) - 1));
            return new Stats(avg, p95, present.get(present.size() - 1));
        }
    }

    /** Whether any initiator sent a sample since then. */
    public boolean anySampleSince(Instant since) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from traffic_sample where ts > ?)",
                Boolean.class, Timestamp.from(since)));
    }

    /** The WWPNs (as 64-bit values) of a VM on each fabric, active and standby. */
    public Map<String, List<Long>> initiatorsOfVm(long vmId) {
        Map<String, List<Long>> byFabric = new LinkedHashMap<>();
        for (var pair : inventory.initiatorsOfVm(vmId)) {
            byFabric.put(pair.fabricName(), List.of(wwpnValue(pair.activeWwpn()), wwpnValue(pair.standbyWwpn())));
        }
        return byFabric;
    }

    private static long wwpnValue(String wwpn) {
        return Wwn.parse(wwpn).value();
    }

    public record TopRow(long vmId, String vmName, double readMbps, double writeMbps, double iops, long errors) {
    }

    /**
     * VMs ranked by average throughput, IOPS or errors over the period, from the hourly rollups: a VM's per-initiator
     * counters where it has any in the period, else its disk IO from vCenter (never both added). The inventory says
     * which initiators are whose; the join happens here, on arrays of (initiator, VM) pairs.
     */
    public List<TopRow> topVms(Instant from, Instant to, String orderBy, int limit) {
        String order = switch (orderBy) {
            case "iops" -> "iops";
            case "errors" -> "errors";
            case "read" -> "read_mbps";
            case "write" -> "write_mbps";
            default -> "read_mbps + write_mbps";
        };
        var pairs = inventory.allInitiators();
        List<Long> initiators = new ArrayList<>(pairs.size() * 2);
        List<Long> owners = new ArrayList<>(pairs.size() * 2);
        Map<Long, String> vmNames = new HashMap<>();
        for (var pair : pairs) {
            initiators.add(wwpnValue(pair.activeWwpn()));
            owners.add(pair.vmId());
            initiators.add(wwpnValue(pair.standbyWwpn()));
            owners.add(pair.vmId());
            vmNames.put(pair.vmId(), pair.vmName());
        }
        List<TopRow> rows = jdbc.query("""
                with owner as (select * from unnest(?::bigint[], ?::bigint[]) as o(initiator, vm_id)),
                per_vm as (
                    select o.vm_id, h.bucket, sum(h.read_mbps_avg) as read_mbps, sum(h.write_mbps_avg) as write_mbps,
                           sum(coalesce(h.read_iops_avg, 0) + coalesce(h.write_iops_avg, 0)) as iops, sum(h.errors) as errors
                      from traffic_1h h join owner o on o.initiator = h.initiator
                     where h.bucket >= ? and h.bucket < ?
                     group by o.vm_id, h.bucket),
                -- a VM without per-initiator counters in the period is ranked by its disk IO from vCenter
                from_vcenter as (
                    select v.vm_id, v.bucket, v.read_mbps, v.write_mbps, v.read_iops + v.write_iops as iops,
                           0::bigint as errors
                      from traffic_vm_1h v
                     where v.bucket >= ? and v.bucket < ?
                       and not exists (select 1 from per_vm p where p.vm_id = v.vm_id)),
                every_vm as (select * from per_vm union all select * from from_vcenter)
                select * from (
                    select p.vm_id, coalesce(avg(p.read_mbps), 0) as read_mbps,
                           coalesce(avg(p.write_mbps), 0) as write_mbps, coalesce(avg(p.iops), 0) as iops,
                           coalesce(sum(p.errors), 0) as errors
                      from every_vm p group by p.vm_id) ranked
                 order by %s desc, vm_id limit ?
                """.formatted(order), (rs, i) -> new TopRow(rs.getLong(1), vmNames.get(rs.getLong(1)),
                rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5)),
                initiators.toArray(Long[]::new), owners.toArray(Long[]::new), Timestamp.from(from), Timestamp.from(to),
                Timestamp.from(from), Timestamp.from(to), limit);
        List<Long> unnamed = rows.stream().map(TopRow::vmId).filter(id -> !vmNames.containsKey(id)).toList();
        if (!unnamed.isEmpty()) {
            vmNames.putAll(inventory.vmNames(unnamed));
            rows = rows.stream().map(r -> r.vmName() != null ? r : new TopRow(r.vmId(), vmNames.get(r.vmId()),
                    r.readMbps(), r.writeMbps(), r.iops(), r.errors())).toList();
        }
        ToDoubleFunction<TopRow> measure = switch (order) {
            case "iops" -> TopRow::iops;
            case "errors" -> TopRow::errors;
            case "read_mbps" -> TopRow::readMbps;
            case "write_mbps" -> TopRow::writeMbps;
            default -> row -> row.readMbps() + row.writeMbps();
        };
        return rows.stream().sorted(Comparator.comparingDouble(measure).reversed()
                .thenComparing(TopRow::vmName)).toList();
    }

    /**
     * Megabytes each initiator read and wrote over the period, from the 5-minute rollups (a bucket's average rate
     * times its length); initiators with no rollup in the period are absent. For shares of a port's traffic, where
     * every initiator is measured over the same buckets.
     */
    public Map<Long, Double> megabytesByInitiator(Collection<Long> initiators, Instant from, Instant to) {
        Map<Long, Double> megabytes = new HashMap<>();
        if (initiators.isEmpty()) {
            return megabytes;
        }
        jdbc.query("""
                select initiator, sum(coalesce(read_mbps_avg, 0) + coalesce(write_mbps_avg, 0)) * 300
                  from traffic_5m where initiator = any (?) and bucket >= ? and bucket < ?
                 group by initiator
                """, rs -> {
                    megabytes.put(rs.getLong(1), rs.getDouble(2));
                }, initiators.toArray(Long[]::new), Timestamp.from(from), Timestamp.from(to));
        return megabytes;
    }

    /** One initiator's series over the period. */
    Series seriesOfInitiator(String wwpn, TrafficPeriod period) {
        return series(List.of(WwnFields.parse(wwpn, "wwpn").value()), period.from(),
                period.to());
    }

    /** The key of a VM's series from vCenter among its per-fabric ones: per VM, all its disks, not per fabric. */
    public static final String VCENTER = "vCenter (all disks)";

    /**
     * A VM's series per fabric over the period, its initiators summed; and, when vCenter reported the VM's disks in
     * the period, their series under {@link #VCENTER}.
     */
    Map<String, Series> seriesOfVm(long vmId, TrafficPeriod period) {
        Map<String, Series> byFabric = new LinkedHashMap<>();
        initiatorsOfVm(vmId).forEach((fabric, initiators) ->
                byFabric.put(fabric, series(initiators, period.from(), period.to())));
        Series disks = vmDiskSeries(vmId, period.from(), period.to());
        if (!disks.sources().isEmpty()) {
            byFabric.put(VCENTER, disks);
        }
        return byFabric;
    }

    /**
     * A VM's disk IO from vCenter over the period, bucketed as the counters' series of the same range are (its
     * samples are 20 s apart, so the shortest bucket is 20 s); frames and errors are not reported there.
     */
    public Series vmDiskSeries(long vmId, Instant from, Instant to) {
        Duration range = Duration.between(from, to);
        long tierStep = range.compareTo(Duration.ofHours(4)) <= 0 ? 20
                : range.compareTo(Duration.ofDays(6)) <= 0 ? 300 : 3600;
        long step = Math.max(tierStep, (long) Math.ceil(range.getSeconds() / (double) MAX_POINTS / tierStep)
                * tierStep);
        Map<Long, double[]> buckets = vmDisks.buckets(vmId, from, to, step);
        List<Long> x = new ArrayList<>();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        METRICS.forEach(m -> values.put(m, new ArrayList<>()));
        long first = from.getEpochSecond() - Math.floorMod(from.getEpochSecond() - 946_684_800L, step);
        for (long t = first; t < to.getEpochSecond(); t += step) {
            x.add(t);
            double[] row = buckets.get(t);
            for (int i = 0; i < METRICS.size(); i++) {
                values.get(METRICS.get(i)).add(row != null && i < row.length ? row[i] : null);
            }
        }
        List<TrafficSources.Span> sources = buckets.isEmpty() ? List.of()
                : List.of(new TrafficSources.Span(TrafficSource.VCENTER, TrafficSource.VCENTER.label(), from, to));
        return new Series("vcenter", step, x, values, sources);
    }
}
