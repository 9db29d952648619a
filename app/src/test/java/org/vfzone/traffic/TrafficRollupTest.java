package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.wwn.Wwn;

/** Rollups equal the same aggregates computed directly on the raw rows, including late samples. */
class TrafficRollupTest extends IntegrationTest {

    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    SampleIngest sampleIngest;
    @Autowired
    GroupCommit groupCommit;
    @Autowired
    TrafficRollups rollups;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void fiveMinuteAndHourlyRollupsMatchTheRawRows() {
        Wwn active = fixtures.vmWithActiveWwpn();
        String wwpn = active.toString();
        long initiator = active.value();

        Instant start = Instant.ofEpochSecond((Instant.now().minus(Duration.ofHours(2)).getEpochSecond() / 3600) * 3600);
        StringBuilder batch = new StringBuilder();
        long reads = 0;
        for (int i = 0; i < 90; i++) {           // 15 minutes every 10 s, irregular load
            reads += 100 + (i % 7) * 37;
            batch.append("{\"wwpn\":\"").append(wwpn).append("\",\"timestamp\":\"").append(start.plusSeconds(i * 10L))
                    .append("\",\"fcp_input_requests\":").append(reads).append(",\"error_frames\":").append(i / 30)
                    .append("}\n");
        }
        groupCommit.store(sampleIngest.parse(batch.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson"));
        rollups.rebuild(start.minus(Duration.ofHours(1)));

        List<Map<String, Object>> direct = direct(initiator, start, Duration.ofMinutes(5));
        List<Map<String, Object>> rolled = jdbc.queryForList("""
                select bucket, samples, read_iops_avg as avg_iops, read_iops_max as max_iops, errors
                  from traffic_5m where initiator = ? order by bucket
                """, initiator);
        assertThat(rolled).hasSize(3).hasSameSizeAs(direct);
        for (int i = 0; i < direct.size(); i++) {
            assertThat(rolled.get(i).get("bucket")).isEqualTo(direct.get(i).get("bucket"));
            assertThat(((Number) rolled.get(i).get("samples")).longValue())
                    .isEqualTo(((Number) direct.get(i).get("samples")).longValue());
            assertThat(((Number) rolled.get(i).get("avg_iops")).doubleValue())
                    .isCloseTo(((Number) direct.get(i).get("avg_iops")).doubleValue(), within(0.01));
            assertThat(((Number) rolled.get(i).get("max_iops")).doubleValue())
                    .isCloseTo(((Number) direct.get(i).get("max_iops")).doubleValue(), within(0.01));
            assertThat(((Number) rolled.get(i).get("errors")).longValue())
                    .isEqualTo(((Number) direct.get(i).get("errors")).longValue());
        }
        Map<String, Object> hourDirect = direct(initiator, start, Duration.ofHours(1)).get(0);
        Map<String, Object> hourRolled = jdbc.queryForMap(
                "select samples, read_iops_avg as avg_iops, read_iops_max as max_iops from traffic_1h where initiator = ?",
                initiator);
        assertThat(((Number) hourRolled.get("samples")).longValue()).isEqualTo(90);
        assertThat(((Number) hourRolled.get("max_iops")).doubleValue())
                .isCloseTo(((Number) hourDirect.get("max_iops")).doubleValue(), within(0.01));
        // the hourly average is sample-weighted; the first sample of the series has no rate, so allow its weight
        assertThat(((Number) hourRolled.get("avg_iops")).doubleValue())
                .isCloseTo(((Number) hourDirect.get("avg_iops")).doubleValue(), within(1.0));

        // a late snapshot in an already rolled-up bucket is folded in by the next run
        jdbc.update("update traffic_rollup_state set done_upto = ?", Timestamp.from(start.plus(Duration.ofMinutes(15))));
        groupCommit.store(sampleIngest.parse(("{\"wwpn\":\"" + wwpn + "\",\"timestamp\":\"" + start.plusSeconds(5) + "\",\"fcp_input_requests\":"
                + 100 + "}\n").getBytes(StandardCharsets.UTF_8), "application/x-ndjson"));
        rollups.run();
        assertThat(jdbc.queryForObject("select samples from traffic_5m where initiator = ? order by bucket limit 1",
                Integer.class, initiator)).isEqualTo(31);
    }

    @Autowired
    TrafficCounters counters;

    /** The buckets computed plainly from every snapshot's rates: count, average and peak read IOPS, errors. */
    private List<Map<String, Object>> direct(long initiator, Instant start, Duration width) {
        TreeMap<Instant, List<Rates>> buckets = new TreeMap<>();
        counters.rates(List.of(initiator), start.minus(Duration.ofHours(1)), start.plus(Duration.ofHours(2)),
                (snapshot, rates) -> {
                    long seconds = snapshot.ts().getEpochSecond();
                    Instant bucket = Instant.ofEpochSecond(seconds - Math.floorMod(seconds, width.toSeconds()));
                    buckets.computeIfAbsent(bucket, b -> new ArrayList<>()).add(rates);
                });
        List<Map<String, Object>> rows = new ArrayList<>();
        buckets.forEach((bucket, rates) -> {
            List<Float> iops = rates.stream().filter(Objects::nonNull).map(Rates::readIops)
                    .filter(Objects::nonNull).toList();
            rows.add(Map.of("bucket", Timestamp.from(bucket), "samples", rates.size(),
                    "avg_iops", iops.stream().mapToDouble(Float::doubleValue).average().orElseThrow(),
                    "max_iops", iops.stream().mapToDouble(Float::doubleValue).max().orElseThrow(),
                    "errors", rates.stream().filter(Objects::nonNull).map(Rates::errors)
                            .filter(Objects::nonNull).mapToLong(Integer::longValue).sum()));
        });
        return rows;
    }
}
