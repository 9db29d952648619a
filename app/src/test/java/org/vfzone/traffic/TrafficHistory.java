package org.vfzone.traffic;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.vfzone.collector.FcCounter;

/** Realistic traffic history for tests and benchmarks, and a way to load it as the ingest stores it. */
public final class TrafficHistory {

    private TrafficHistory() {
    }

    /**
     * A day of one busy initiator as a collector sends it: every 10 s with a few milliseconds of scheduling jitter,
     * reads and writes that vary independently, each interval with its own mix of I/O sizes (so megabytes, frames and
     * words move with the requests but not in a fixed proportion), an error now and then, a counter reset, a three-hour gap, a driver that stops reporting one
     * counter, port state changes.
     */
    public static List<Snapshot> day(long initiator, LocalDate day, long seed) {
        Random random = new Random(seed);
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusNanos(123_000);
        long[] counters = new long[FcCounter.ALL.size()];
        counters[FcCounter.SECONDS_SINCE_LAST_RESET.ordinal()] = 500_000;
        int busy = 300 + random.nextInt(3000);
        long readTotal = 0;
        long writeTotal = 0;
        List<Snapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < 8640; i++) {
            if (i >= 3000 && i < 4080) {
                continue; // three hours unreachable
            }
            if (i == 5000) {
                Arrays.fill(counters, 0);
                readTotal = 0;
                writeTotal = 0;
            }
            // reads and writes come and go on their own, each interval with its own mix of I/O sizes
            long reads = busy / 4 + random.nextInt(busy);
            long writes = busy / 8 + random.nextInt(busy / 2 + 1);
            long readBytes = reads * (4096 + random.nextInt(252 * 1024));
            long writeBytes = writes * (4096 + random.nextInt(124 * 1024));
            readTotal += readBytes;
            writeTotal += writeBytes;
            // an initiator sends the commands and the write data, and receives the read data, a transfer-ready
            // for each write and a status for each command; data travels in frames of up to 2 KB
            long rxFrames = (readBytes + 2047) / 2048 + writes + reads + writes;
            long txFrames = (writeBytes + 2047) / 2048 + reads + writes;
            counters[FcCounter.FCP_INPUT_REQUESTS.ordinal()] += reads;
            counters[FcCounter.FCP_OUTPUT_REQUESTS.ordinal()] += writes;
            counters[FcCounter.FCP_INPUT_MEGABYTES.ordinal()] = readTotal >> 20;
            counters[FcCounter.FCP_OUTPUT_MEGABYTES.ordinal()] = writeTotal >> 20;
            counters[FcCounter.RX_FRAMES.ordinal()] += rxFrames;
            counters[FcCounter.TX_FRAMES.ordinal()] += txFrames;
            // payload and each frame's header, CRC and delimiters, and a few link-level words besides
            counters[FcCounter.RX_WORDS.ordinal()] += readBytes / 4 + rxFrames * 9 + random.nextInt(4096);
            counters[FcCounter.TX_WORDS.ordinal()] += writeBytes / 4 + txFrames * 9 + random.nextInt(4096);
            if (random.nextInt(1000) == 0) {
                counters[FcCounter.INVALID_CRC_COUNT.ordinal()] += 1 + random.nextInt(3);
            }
            counters[FcCounter.SECONDS_SINCE_LAST_RESET.ordinal()] += 10;
            Long[] row = new Long[counters.length];
            for (int c = 0; c < counters.length; c++) {
                row[c] = counters[c];
            }
            if (i > 7000) {
                row[FcCounter.DUMPED_FRAMES.ordinal()] = null;
            }
            // a collector's timer fires within a few milliseconds of its period
            Instant ts = start.plusSeconds(i * 10L).plusNanos(random.nextInt(3_000) * 1000L);
            snapshots.add(new Snapshot(initiator, ts, row, i > 8000 && i < 8010 ? "Linkdown" : "Online"));
        }
        return snapshots;
    }

    /** Loads snapshots into {@code traffic_sample} with one COPY, as the ingest writes them, and commits. */
    public static void copy(DataSource dataSource, List<Snapshot> snapshots) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy traffic_sample (" + TrafficCounters.COLUMNS + ") from stdin");
            StringBuilder text = new StringBuilder(1 << 20);
            CopyText.Timestamps timestamps = new CopyText.Timestamps();
            for (Snapshot snapshot : snapshots) {
                TrafficIngestService.appendRow(text, snapshot, timestamps);
                if (text.length() > 1 << 20) {
                    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    text.setLength(0);
                }
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
        }
    }
}
