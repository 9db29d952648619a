package org.vfzone.traffic;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.vfzone.system.CsvExport;

/** A VM's storage trend report (this period against the one before) and the estate's top VMs, as rows and CSV. */
@Component
class TrafficReports {

    /** One metric of one fabric: this period, the one before, and the change of the average in percent. */
    /** What each metric is called on pages: the unit said, not a column name. */
    static final Map<String, String> METRIC_LABELS = Map.of("read_iops", "read IOPS",
            "write_iops", "write IOPS", "read_mbps", "read MB/s", "write_mbps", "write MB/s",
            "rx_fps", "received frames/s", "tx_fps", "sent frames/s", "errors", "errors");

    record StatRow(String fabric, String metric, TrafficQueries.Stats current, TrafficQueries.Stats previous) {
        public String label() {
            return METRIC_LABELS.getOrDefault(metric, metric);
        }

        public Double change() {
            return current.avg() == null || previous.avg() == null || previous.avg() == 0 ? null
                    : (current.avg() - previous.avg()) / previous.avg() * 100;
        }
    }

    private final TrafficQueries queries;

    TrafficReports(TrafficQueries queries) {
        this.queries = queries;
    }

    List<StatRow> vmStats(long vmId, TrafficPeriod period) {
        List<StatRow> rows = new ArrayList<>();
        queries.initiatorsOfVm(vmId).forEach((fabric, initiators) -> {
            TrafficQueries.Series now = queries.series(initiators, period.from(), period.to());
            TrafficQueries.Series before = queries.series(initiators, period.previous().from(), period.previous().to());
            for (String metric : TrafficQueries.METRICS) {
                rows.add(new StatRow(fabric, metric, TrafficQueries.Stats.of(now.values().get(metric)),
                        TrafficQueries.Stats.of(before.values().get(metric))));
            }
        });
        TrafficQueries.Series disks = queries.vmDiskSeries(vmId, period.from(), period.to());
        TrafficQueries.Series disksBefore = queries.vmDiskSeries(vmId, period.previous().from(),
                period.previous().to());
        if (!disks.sources().isEmpty() || !disksBefore.sources().isEmpty()) {
            // vCenter reports IO only, not frames or errors
            for (String metric : TrafficQueries.METRICS.subList(0, 4)) {
                rows.add(new StatRow(TrafficQueries.VCENTER, metric, TrafficQueries.Stats.of(disks.values().get(metric)),
                        TrafficQueries.Stats.of(disksBefore.values().get(metric))));
            }
        }
        return rows;
    }

    String vmCsv(String vmName, long vmId, TrafficPeriod period) {
        CsvExport csv = new CsvExport("vm", "fabric", "metric", "period_from", "period_to", "avg", "p95", "peak",
                "previous_avg", "previous_p95", "previous_peak", "change_percent");
        for (StatRow row : vmStats(vmId, period)) {
            csv.row(vmName, row.fabric(), row.metric(), period.from(), period.to(), num(row.current().avg()),
                    num(row.current().p95()), num(row.current().peak()), num(row.previous().avg()),
                    num(row.previous().p95()), num(row.previous().peak()), num(row.change()));
        }
        return csv.toString();
    }

    /**
     * The charts' numbers: one row per fabric and time bucket (UTC start, its length in seconds) with every metric,
     * as the VM's page draws them; empty cells where no sample fell into the bucket.
     */
    String vmSeriesCsv(String vmName, long vmId, TrafficPeriod period) {
        List<String> header = new ArrayList<>(List.of("vm", "fabric", "time", "step_seconds"));
        header.addAll(TrafficQueries.METRICS);
        CsvExport csv = new CsvExport(header.toArray(String[]::new));
        queries.seriesOfVm(vmId, period).forEach((fabric, series) -> {
            for (int i = 0; i < series.x().size(); i++) {
                List<Object> row = new ArrayList<>(List.of(vmName, fabric,
                        Instant.ofEpochSecond(series.x().get(i)).toString(), series.stepSeconds()));
                for (String metric : TrafficQueries.METRICS) {
                    List<Double> values = series.values().get(metric);
                    row.add(values == null ? null : num(values.get(i)));
                }
                csv.row(row.toArray());
            }
        });
        return csv.toString();
    }

    String topVmsCsv(TrafficPeriod period, String by, int top) {
        CsvExport csv = new CsvExport("vm", "period_from", "period_to", "read_mbps_avg", "write_mbps_avg", "iops_avg",
                "errors");
        for (TrafficQueries.TopRow row : queries.topVms(period.from(), period.to(), by, top)) {
            csv.row(row.vmName(), period.from(), period.to(), num(row.readMbps()), num(row.writeMbps()),
                    num(row.iops()), row.errors());
        }
        return csv.toString();
    }

    /** Three decimals, as a number (so a negative change is not taken for a formula and quoted). */
    private static BigDecimal num(Double value) {
        return value == null || value.isNaN() || value.isInfinite() ? null
                : BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP);
    }
}
