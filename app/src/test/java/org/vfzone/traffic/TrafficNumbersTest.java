package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.wwn.Wwn;

/**
 * The numbers users see — raw, 5-minute and hourly chart series and the top-VM report — for a fixed traffic history
 * with the awkward cases (out-of-order and resent batches, a counter reset, a gap, a driver without word counters,
 * error bursts), compared with the numbers recorded from the release that stored rates at ingest
 * ({@code traffic-numbers.txt}). How rates are stored or derived may change; what users see must not.
 */
class TrafficNumbersTest extends IntegrationTest {

    /** Set to write the recorded numbers anew (only when a change of the numbers is intended). */
    private static final boolean RECORD = Boolean.getBoolean("vfzone.record-traffic-numbers");
    private static final Path RECORDED = Path.of("src/test/resources/traffic-numbers.txt");

    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    SampleIngest sampleIngest;
    @Autowired
    GroupCommit groupCommit;
    @Autowired
    TrafficRollups rollups;
    @Autowired
    TrafficQueries queries;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TrafficCompaction compaction;

    @Test
    void chartsAndReportsShowTheRecordedNumbers() throws IOException {
        long busyVm = vmId(fixtures.vmWithActiveWwpn());
        long quietVm = vmId(fixtures.vmWithActiveWwpn());
        List<Long> busy = initiators(busyVm);
        List<Long> quiet = initiators(quietVm);
        // midnight three days ago: buckets and days align the same way whenever the test runs
        Instant start = LocalDate.now(ZoneOffset.UTC).minusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant();

        List<String> lines = new ArrayList<>();
        lines.addAll(history(busy.get(0), start, 11, true));
        lines.addAll(history(busy.get(1), start, 12, false));
        lines.addAll(history(quiet.get(0), start, 13, true));
        // out of order: the history arrives in shuffled batches of 500, and one batch is sent twice
        Collections.shuffle(lines, new Random(5));
        List<String> batches = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 500) {
            batches.add(String.join("\n", lines.subList(i, Math.min(lines.size(), i + 500))));
        }
        batches.add(batches.get(3));
        for (String batch : batches) {
            groupCommit.store(sampleIngest.parse(batch.getBytes(StandardCharsets.UTF_8), "application/x-ndjson"));
        }
        rollups.rebuild(start.minus(Duration.ofHours(1)));
        String seen = numbers(busyVm, quietVm, busy, quiet, start);
        if (RECORD) {
            Files.writeString(RECORDED, seen);
        }
        assertThat(seen).isEqualTo(Files.readString(RECORDED));

        // the same numbers once the hours are compacted into blocks, the rollups computed again from the blocks
        assertThat(compaction.compactClosedHours()).extracting(TrafficCompaction.Compacted::hour)
                .contains(start, start.plus(Duration.ofHours(5)));
        assertThat(jdbc.queryForObject("select count(*) from traffic_sample where initiator = any (?)", Long.class,
                (Object) new Long[] {busy.get(0), busy.get(1), quiet.get(0)})).isZero();
        jdbc.update("delete from traffic_5m where initiator = any (?)", (Object) new Long[] {busy.get(0), busy.get(1),
                quiet.get(0)});
        rollups.rebuild(start.minus(Duration.ofHours(1)));
        assertThat(numbers(busyVm, quietVm, busy, quiet, start)).isEqualTo(Files.readString(RECORDED));
    }

    private String numbers(long busyVm, long quietVm, List<Long> busy, List<Long> quiet, Instant start) {
        StringBuilder seen = new StringBuilder();
        describe(seen, "raw", queries.series(busy, start.plus(Duration.ofMinutes(50)),
                start.plus(Duration.ofMinutes(230))), start);
        describe(seen, "5m", queries.series(busy, start, start.plus(Duration.ofHours(12))), start);
        describe(seen, "1h", queries.series(busy, start.minus(Duration.ofDays(2)), start.plus(Duration.ofDays(5))),
                start);
        describe(seen, "quiet-raw", queries.series(quiet, start.plus(Duration.ofHours(2)),
                start.plus(Duration.ofHours(3))), start);
        for (String order : List.of("mbps", "iops", "errors")) {
            seen.append("top ").append(order).append('\n');
            queries.topVms(start, start.plus(Duration.ofDays(1)), order, 1000).stream()
                    .filter(row -> row.vmId() == busyVm || row.vmId() == quietVm)
                    .forEach(row -> seen.append(row.vmId() == busyVm ? "busy" : "quiet").append(' ')
                            .append(number(row.readMbps())).append(' ').append(number(row.writeMbps())).append(' ')
                            .append(number(row.iops())).append(' ').append(row.errors()).append('\n'));
        }
        return seen.toString();
    }

    /**
     * Six hours of one initiator every 10 s with a varying load; a counter reset at 02:00; nothing between 03:00 and
     * 03:07 (a gap); error bursts. Without word counters the read and write rates come from the megabyte counters.
     */
    private static List<String> history(long initiator, Instant start, long seed, boolean words) {
        Random random = new Random(seed);
        String wwpn = new Wwn(initiator).toString();
        List<String> lines = new ArrayList<>();
        long reads = 1_000_000;
        long writes = 500_000;
        long rxWords = 9_000_000_000L;
        long txWords = 4_000_000_000L;
        long rxFrames = 70_000_000;
        long txFrames = 30_000_000;
        long errors = 3;
        long sinceReset = 86_400;
        for (int i = 0; i < 6 * 360; i++) {
            Instant ts = start.plusSeconds(i * 10L);
            long load = 200 + random.nextInt(800) + (i / 90 % 3) * 1500;
            if (i == 720) { // the HBA's statistics were reset
                reads = writes = rxWords = txWords = rxFrames = txFrames = errors = 0;
                sinceReset = 0;
            }
            reads += load;
            writes += load / 2 + random.nextInt(50);
            rxWords += load * 2048;
            txWords += load * 1024;
            rxFrames += load * 4;
            txFrames += load * 2;
            errors += random.nextInt(100) < 3 ? random.nextInt(5) : 0;
            sinceReset += 10;
            if (i >= 1080 && i < 1122) {
                continue; // the host was unreachable
            }
            StringBuilder line = new StringBuilder().append("{\"wwpn\":\"").append(wwpn).append("\",\"timestamp\":\"")
                    .append(ts).append("\",\"fcp_input_requests\":").append(reads).append(",\"fcp_output_requests\":")
                    .append(writes).append(",\"fcp_input_megabytes\":").append(rxWords * 4 / 1_048_576)
                    .append(",\"fcp_output_megabytes\":").append(txWords * 4 / 1_048_576).append(",\"rx_frames\":")
                    .append(rxFrames).append(",\"tx_frames\":").append(txFrames).append(",\"error_frames\":")
                    .append(errors).append(",\"seconds_since_last_reset\":").append(sinceReset)
                    .append(",\"port_state\":\"Online\"");
            if (words) {
                line.append(",\"rx_words\":").append(rxWords).append(",\"tx_words\":").append(txWords);
            }
            lines.add(line.append('}').toString());
        }
        return lines;
    }

    private static void describe(StringBuilder out, String name, TrafficQueries.Series series, Instant start) {
        out.append(name).append(' ').append(series.tier()).append(" step ").append(series.stepSeconds()).append('\n');
        for (int i = 0; i < series.x().size(); i++) {
            StringBuilder row = new StringBuilder();
            boolean any = false;
            for (Map.Entry<String, List<Double>> metric : series.values().entrySet()) {
                Double value = metric.getValue().get(i);
                any |= value != null;
                row.append(' ').append(value == null ? "-" : number(value));
            }
            if (any) {
                out.append(series.x().get(i) - start.getEpochSecond()).append(row).append('\n');
            }
        }
    }

    /** Six significant digits: what a chart or report shows, independent of float summation order. */
    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }

    private long vmId(Wwn active) {
        return jdbc.queryForObject("select vm_id from vm_fabric_identity where active_wwpn = ?::wwn", Long.class,
                active.toString());
    }

    private List<Long> initiators(long vmId) {
        return queries.initiatorsOfVm(vmId).values().iterator().next();
    }
}
