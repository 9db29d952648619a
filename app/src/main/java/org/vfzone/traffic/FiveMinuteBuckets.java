package org.vfzone.traffic;

import java.time.Instant;
import java.util.Arrays;
import javax.sql.DataSource;

import org.vfzone.system.CopyRows;

/**
 * Aggregates a stream of snapshots with their rates, ordered by initiator and time, into 5-minute buckets (aligned
 * as {@code date_bin('5 minutes', ts, '2000-01-01')}) as rows of {@code traffic_5m} in COPY text, loaded into the
 * staging table when the stream has been read (the connection is busy with the stream's cursor until then).
 */
final class FiveMinuteBuckets {

    private static final long ORIGIN = 946_684_800L; // 2000-01-01T00:00:00Z
    private static final long WIDTH = 300;
    /** read IOPS, write IOPS, read MB/s, write MB/s: average and peak; received and sent frames/s: average. */
    private static final int RATES = 6;

    private final StringBuilder text = new StringBuilder();
    private final CopyText.Timestamps timestamps = new CopyText.Timestamps();
    private long initiator;
    private long bucket = Long.MIN_VALUE;
    private int samples;
    private final double[] sum = new double[RATES];
    private final int[] count = new int[RATES];
    private final float[] max = new float[RATES];
    private long errors;

    void add(Snapshot snapshot, Rates rates) {
        long start = ORIGIN + Math.floorDiv(snapshot.ts().getEpochSecond() - ORIGIN, WIDTH) * WIDTH;
        if (snapshot.initiator() != initiator || start != bucket) {
            emit();
            initiator = snapshot.initiator();
            bucket = start;
        }
        samples++;
        if (rates != null) {
            take(0, rates.readIops());
            take(1, rates.writeIops());
            take(2, rates.readMbps());
            take(3, rates.writeMbps());
            take(4, rates.rxFps());
            take(5, rates.txFps());
            if (rates.errors() != null) {
                errors += rates.errors();
            }
        }
    }

    private void take(int rate, Float value) {
        if (value != null) {
            sum[rate] += value;
            max[rate] = count[rate] == 0 ? value : Math.max(max[rate], value);
            count[rate]++;
        }
    }

    private void emit() {
        if (samples == 0) {
            return;
        }
        text.append(initiator).append('\t');
        timestamps.append(text, Instant.ofEpochSecond(bucket));
        text.append('\t').append(samples);
        for (int rate = 0; rate < RATES; rate++) {
            CopyText.field(text, count[rate] == 0 ? null : (float) (sum[rate] / count[rate]));
            if (rate < 4) {
                CopyText.field(text, count[rate] == 0 ? null : max[rate]);
            }
        }
        text.append('\t').append(errors).append('\n');
        samples = 0;
        errors = 0;
        Arrays.fill(sum, 0);
        Arrays.fill(count, 0);
    }

    /** Loads the buckets into {@code traffic_5m_staging} on the transaction's connection. */
    void load(DataSource dataSource) {
        emit();
        if (text.isEmpty()) {
            return;
        }
        CopyRows.copy(dataSource, "traffic_5m_staging (initiator, bucket, samples, read_iops_avg, "
                + "read_iops_max, write_iops_avg, write_iops_max, read_mbps_avg, read_mbps_max, write_mbps_avg, "
                + "write_mbps_max, rx_fps_avg, tx_fps_avg, errors)", text);
    }
}
