package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.collector.FcCounter;
import org.vfzone.security.ApiTokenService;
import org.vfzone.security.Role;
import org.vfzone.security.UserService;
import org.vfzone.wwn.Wwn;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TrafficIngestTest extends IntegrationTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    UserService users;
    @Autowired
    ApiTokenService tokens;
    @Autowired
    TrafficPartitions partitions;
    @Autowired
    JdbcTemplate jdbc;

    String wwpn;
    long initiator;
    RequestPostProcessor operator;
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);

    @BeforeEach
    void initiator() {
        Wwn active = fixtures.vmWithActiveWwpn();
        wwpn = active.toString();
        initiator = active.value();
        String name = unique("op");
        users.create(name, "operator-password", Role.OPERATOR);
        operator = httpBasic(name, "operator-password");
    }

    String sample(Instant ts, long reads, long rxWords, long sinceReset) {
        return "{\"wwpn\":\"" + wwpn + "\",\"timestamp\":\"" + ts + "\",\"fcp_input_requests\":\"0x"
                + Long.toHexString(reads) + "\",\"fcp_output_requests\":\"0x0\",\"rx_words\":" + rxWords
                + ",\"tx_words\":0,\"error_frames\":0,\"seconds_since_last_reset\":" + sinceReset
                + ",\"port_state\":\"Online\"}";
    }

    @Autowired
    TrafficCounters counters;
    @Autowired
    TrafficProperties trafficProperties;

    /** The stored snapshot at that time with the rates derived for it, as charts and rollups see them. */
    Map<String, Object> row(Instant ts) {
        Map<String, Object> row = new HashMap<>();
        counters.rates(List.of(initiator), ts, ts.plusNanos(1000), (snapshot, rates) -> {
            row.put("fcp_input_requests", snapshot.counter(FcCounter.FCP_INPUT_REQUESTS));
            row.put("interval_s", rates == null ? null : rates.intervalS());
            row.put("read_iops", rates == null ? null : rates.readIops());
            row.put("read_mbps", rates == null ? null : rates.readMbps());
            row.put("counter_reset", rates != null && rates.counterReset());
        });
        assertThat(row).as("a snapshot stored at " + ts).isNotEmpty();
        return row;
    }

    @Test
    void ratesAreDerivedFromConsecutiveSnapshotsAndAResentBatchStoresNothingTwice() throws Exception {
        String batch = "[" + sample(t0, 1000, 0, 100) + "," + sample(t0.plusSeconds(10), 3000, 2_500_000, 110) + ","
                + sample(t0.plusSeconds(20), 4000, 5_000_000, 120) + "]";
        mvc.perform(post("/api/traffic/samples").with(operator).contentType("application/json").content(batch))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(3))
                .andExpect(jsonPath("$.duplicates").value(0))
                // not busy: one reading per request
                .andExpect(header().string("Vfzone-Readings-Per-Request", "1"));
        assertThat(row(t0).get("read_iops")).isNull();
        assertThat(row(t0.plusSeconds(10)).get("read_iops")).isEqualTo(200f);
        assertThat(row(t0.plusSeconds(10)).get("read_mbps")).isEqualTo(1.0f);
        assertThat(row(t0.plusSeconds(20)).get("read_iops")).isEqualTo(100f);

        mvc.perform(post("/api/traffic/samples").with(operator).contentType("application/json").content(batch))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(0))
                .andExpect(jsonPath("$.duplicates").value(3));
        assertThat(jdbc.queryForObject("select count(*) from traffic_sample where initiator = ?", Long.class,
                initiator)).isEqualTo(3);
    }

    @Test
    void aLateSnapshotIsPlacedInOrderAndItsSuccessorsRatesFollow() throws Exception {
        mvc.perform(post("/api/traffic/samples").with(operator).contentType("application/x-ndjson")
                        .content(sample(t0, 1000, 0, 100) + "\n" + sample(t0.plusSeconds(10), 3000, 0, 110) + "\n"))
                .andExpect(status().isOk());
        mvc.perform(post("/api/traffic/samples").with(operator).contentType("application/x-ndjson")
                        .content(sample(t0.plusSeconds(5), 1500, 0, 105) + "\n"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.accepted").value(1));
        assertThat(row(t0.plusSeconds(5)).get("read_iops")).isEqualTo(100f);
        assertThat(row(t0.plusSeconds(10)).get("interval_s")).isEqualTo(5f);
        assertThat(row(t0.plusSeconds(10)).get("read_iops")).isEqualTo(300f);
        assertThat(row(t0).get("read_iops")).isNull();
    }

    void postNdjson(String... samples) throws Exception {
        mvc.perform(post("/api/traffic/samples").with(operator).contentType("application/x-ndjson")
                .content(String.join("\n", samples) + "\n")).andExpect(status().isOk());
    }

    @Test
    void snapshotsOfLaterBatchesGetTheirRatesFromEarlierOnesAndALateOneInTheSameBatchTakesItsPlace()
            throws Exception {
        postNdjson(sample(t0, 1000, 0, 100), sample(t0.plusSeconds(10), 2000, 0, 110));
        postNdjson(sample(t0.plusSeconds(20), 4000, 0, 120));
        assertThat(row(t0.plusSeconds(20)).get("read_iops")).isEqualTo(200f);
        assertThat(row(t0.plusSeconds(20)).get("interval_s")).isEqualTo(10f);

        mvc.perform(post("/api/traffic/samples").with(operator).contentType("application/x-ndjson")
                        .content(sample(t0.plusSeconds(30), 5000, 0, 130) + "\n"
                                + sample(t0.plusSeconds(25), 4100, 0, 125) + "\n"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.accepted").value(2));
        assertThat(row(t0.plusSeconds(25)).get("read_iops")).isEqualTo(20f);
        assertThat(row(t0.plusSeconds(30)).get("interval_s")).isEqualTo(5f);
        assertThat(row(t0.plusSeconds(30)).get("read_iops")).isEqualTo(180f);
    }

    @Test
    void aSnapshotThatAnotherNodeStoredMeanwhileIsADuplicateAndTheRestOfTheBatchIsKept() throws Exception {
        postNdjson(sample(t0, 1000, 0, 100));
        // another app node stored the next snapshot of this initiator; this node does not know it
        jdbc.update("insert into traffic_sample (initiator, ts, fcp_input_requests) values (?, ?, ?)",
                initiator, Timestamp.from(t0.plusSeconds(10)), 2000L);
        mvc.perform(post("/api/traffic/samples").with(operator).contentType("application/x-ndjson")
                        .content(sample(t0.plusSeconds(10), 2000, 0, 110) + "\n"
                                + sample(t0.plusSeconds(20), 4000, 0, 120) + "\n"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(1))
                .andExpect(jsonPath("$.duplicates").value(1));
        assertThat(row(t0.plusSeconds(20)).get("read_iops")).isEqualTo(200f);
        assertThat(jdbc.queryForObject("select count(*) from traffic_sample where initiator = ?", Long.class,
                initiator)).isEqualTo(3);
    }

    @Test
    void linesWithValuesOfTheWrongShapeOrAnOverlongPortStateAreRejectedAndTheValidOnesStored() throws Exception {
        String valid = sample(t0, 10, 100, 100);
        mvc.perform(post("/api/traffic/samples").with(operator).contentType("application/x-ndjson")
                        .content(String.join("\n", valid,
                                "{\"wwpn\":[\"" + wwpn + "\"],\"timestamp\":\"" + t0.plusSeconds(10) + "\"}",
                                "{\"wwpn\":\"" + wwpn + "\",\"timestamp\":{\"s\":1}}",
                                "{\"wwpn\":\"" + wwpn + "\",\"timestamp\":\"" + t0.plusSeconds(20)
                                        + "\",\"rx_words\":[1]}",
                                sample(t0.plusSeconds(30), 20, 200, 130).replace("Online", "O".repeat(17)),
                                sample(t0.plusSeconds(40), 20, 200, 140).replace("Online", "On\\u0000line")) + "\n"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(1))
                .andExpect(jsonPath("$.rejected[0].line").value(2))
                .andExpect(jsonPath("$.rejected[0].reason").value("wwpn must be a string or a number, not an array"))
                .andExpect(jsonPath("$.rejected[1].reason").value("timestamp must be a string or a number, not an object"))
                .andExpect(jsonPath("$.rejected[2].reason").value("rx_words must be a string or a number, not an array"))
                .andExpect(jsonPath("$.rejected[3].reason").value(Matchers.startsWith("port_state must be")))
                .andExpect(jsonPath("$.rejected[4].line").value(6));
        assertThat(row(t0)).isNotNull();
    }

    @Test
    void aCounterResetIsFlaggedAndNeverNegative() throws Exception {
        mvc.perform(post("/api/traffic/samples").with(operator).contentType("application/json")
                .content("[" + sample(t0, 900_000, 0, 86_400) + "," + sample(t0.plusSeconds(10), 50, 0, 3) + "]"))
                .andExpect(status().isOk());
        assertThat(row(t0.plusSeconds(10)).get("counter_reset")).isEqualTo(true);
        assertThat(row(t0.plusSeconds(10)).get("read_iops")).isEqualTo(5f);
    }

    @Test
    void badLinesAreRejectedByLineAndReasonWhileGoodOnesAreStored() throws Exception {
        String csv = "wwpn,timestamp,fcp_input_requests\n"
                + wwpn + "," + t0 + ",0x10\n"
                + "50:00:00:00:00:00:99:99," + t0 + ",0x10\n"
                + wwpn + "," + Instant.now().plusSeconds(3600) + ",0x10\n"
                + wwpn + "," + t0.plusSeconds(10) + ",lots\n";
        mvc.perform(post("/api/traffic/samples").with(operator).contentType("text/csv").content(csv))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(1))
                .andExpect(jsonPath("$.rejected[0].line").value(3))
                .andExpect(jsonPath("$.rejected[0].reason").value(containsString("not a VM or adapter WWPN")))
                .andExpect(jsonPath("$.rejected[1].line").value(4))
                .andExpect(jsonPath("$.rejected[1].reason").value(containsString("in the future")))
                .andExpect(jsonPath("$.rejected[2].line").value(5))
                .andExpect(jsonPath("$.rejected[2].reason").value("fcp_input_requests 'lots' is not a counter value"));
        mvc.perform(post("/api/traffic/samples").with(operator).contentType("text/csv")
                        .content("wwpn,timestamp\n50:00:00:00:00:00:99:99," + t0 + "\n"))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/api/traffic/samples").with(operator).contentType("application/json").content("{oops"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("refused whole")));
    }

    @Test
    void collectorsAuthenticateWithATokenThatCanOnlyIngest() throws Exception {
        var created = tokens.create(unique("collector"), "COLLECTOR", "tester");
        String token = created.token();
        mvc.perform(post("/api/traffic/samples").header("Authorization", "Bearer " + token)
                        .contentType("application/json").content("[" + sample(t0, 1, 0, 1) + "]"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.accepted").value(1));
        assertThat(jdbc.queryForObject("select last_used_at is not null from api_token where id = ?", Boolean.class,
                created.id())).as("last use recorded").isTrue();
        mvc.perform(get("/api/vms").header("Authorization", "Bearer " + token)).andExpect(status().isForbidden());
        mvc.perform(post("/api/traffic/samples").header("Authorization", "Bearer vfz_wrong")
                        .contentType("application/json").content("[]"))
                .andExpect(status().isUnauthorized());
        assertThat(jdbc.queryForObject("select count(*) from api_token where token_hash = ?", Long.class, token))
                .as("only the hash is stored").isZero();
        tokens.revoke(created.id());
        mvc.perform(post("/api/traffic/samples").header("Authorization", "Bearer " + token)
                        .contentType("application/json").content("[" + sample(t0, 2, 0, 1) + "]"))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void retentionDropsOnlyWholeExpiredPartitions() {
        LocalDate old = LocalDate.now(ZoneOffset.UTC).minusDays(trafficProperties.rawRetention().toDays() + 6);
        partitions.ensureDay(old);
        partitions.ensureDay(LocalDate.now(ZoneOffset.UTC));
        List<String> dropped = partitions.dropExpired();
        assertThat(dropped).contains("traffic_sample_" + old.toString().replace("-", ""));
        assertThat(dropped).noneMatch(name -> name.endsWith(LocalDate.now(ZoneOffset.UTC).toString().replace("-", "")));
        assertThat(jdbc.queryForObject("select count(*) from pg_class where relname = ?", Long.class,
                "traffic_sample_" + LocalDate.now(ZoneOffset.UTC).toString().replace("-", ""))).isEqualTo(1);
    }

    @Test
    void theVmSeriesCsvHoldsTheNumbersTheChartsDraw() throws Exception {
        postNdjson(sample(t0, 1000, 0, 100), sample(t0.plusSeconds(10), 3000, 2_500_000, 110),
                sample(t0.plusSeconds(20), 4000, 5_000_000, 120));
        long vmId = jdbc.queryForObject("select vm_id from vm_fabric_identity where active_wwpn = ?", Long.class,
                wwpn);
        // one fixed hour for both requests: "the last hour" would move between them
        String from = t0.minusSeconds(1800).toString();
        String to = t0.plusSeconds(1800).toString();
        String json = mvc.perform(get("/api/traffic/vms/{id}/series", vmId).param("from", from).param("to", to)
                        .with(operator))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        String csv = mvc.perform(get("/api/traffic/vms/{id}/series.csv", vmId).param("from", from).param("to", to)
                        .with(operator))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("vm,fabric,time,step_seconds,read_iops,write_iops,read_mbps,write_mbps,"
                + "rx_fps,tx_fps,errors");
        // every bucket of the chart JSON is one CSV row, with the same read IOPS
        JsonNode series = new JsonMapper().readTree(json);
        String fabric = series.propertyNames().iterator().next();
        JsonNode x = series.get(fabric).get("x");
        JsonNode readIops = series.get(fabric).get("values").get("read_iops");
        assertThat(lines).hasSize(x.size() + 1);
        List<String> fromJson = new ArrayList<>();
        List<String> fromCsv = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            if (!readIops.get(i).isNull()) {
                fromJson.add(Instant.ofEpochSecond(x.get(i).asLong()) + "=" + BigDecimal.valueOf(
                        readIops.get(i).asDouble()).setScale(3, RoundingMode.HALF_UP));
            }
            String[] cells = lines.get(i + 1).split(",", -1);
            if (!cells[4].isEmpty()) {
                fromCsv.add(cells[2] + "=" + cells[4]);
            }
        }
        assertThat(fromCsv).isEqualTo(fromJson);
        assertThat(fromCsv).anyMatch(cell -> cell.endsWith("=200.000")).anyMatch(cell -> cell.endsWith("=100.000"));
    }
}
