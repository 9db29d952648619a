package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.wwn.Wwn;

/** Closed hours are kept as blocks; a resent snapshot of such an hour is a duplicate, a late one is merged in. */
class TrafficCompactionTest extends IntegrationTest {

    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    SampleIngest sampleIngest;
    @Autowired
    GroupCommit groupCommit;
    @Autowired
    TrafficCompaction compaction;
    @Autowired
    TrafficCounters counters;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MockMvc mvc;

    Wwn wwpn;
    LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(4);
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();

    String line(Instant ts, long reads) {
        return "{\"wwpn\":\"" + wwpn + "\",\"timestamp\":\"" + ts + "\",\"fcp_input_requests\":" + reads
                + ",\"seconds_since_last_reset\":" + reads / 10 + ",\"port_state\":\"Online\"}";
    }

    TrafficIngestService.Result post(String... lines) {
        return groupCommit.store(sampleIngest.parse(String.join("\n", lines).getBytes(StandardCharsets.UTF_8), "application/x-ndjson"));
    }

    List<Snapshot> stored() {
        List<Snapshot> all = new ArrayList<>();
        counters.snapshots(List.of(wwpn.value()), start, start.plus(Duration.ofDays(1)), all::add);
        return all;
    }

    @Test
    void aCompactedHourReadsAsBeforeCountsResentSnapshotsAsDuplicatesAndMergesLateOnes() throws Exception {
        wwpn = fixtures.vmWithActiveWwpn();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 360; i += 2) { // every other 10 s step of the first hour
            lines.add(line(start.plusSeconds(i * 10L).plusNanos(i > 100 ? i * 1000L : 0), 1_000L * i));
        }
        assertThat(post(lines.toArray(String[]::new)).accepted()).isEqualTo(180);
        List<Snapshot> before = stored();

        TrafficCompaction.Compacted compacted = compaction.compact(start);
        assertThat(compacted.samples()).isGreaterThanOrEqualTo(180);
        assertThat(jdbc.queryForObject("select count(*) from traffic_sample where initiator = ?", Long.class,
                wwpn.value())).isZero();
        assertThat(jdbc.queryForObject("select samples from traffic_block where initiator = ? and hour = ?",
                Integer.class, wwpn.value(), Timestamp.from(start))).isEqualTo(180);
        assertThat(stored()).isEqualTo(before);

        // the same batch again: all duplicates, nothing stored raw
        TrafficIngestService.Result again = post(lines.toArray(String[]::new));
        assertThat(again.accepted()).isZero();
        assertThat(again.duplicates()).isEqualTo(180);
        assertThat(jdbc.queryForObject("select count(*) from traffic_sample where initiator = ?", Long.class,
                wwpn.value())).isZero();

        // a late snapshot between two compacted ones: readable at once, merged into the block by the next run
        Instant late = start.plusSeconds(10);
        assertThat(post(line(late, 1_000)).accepted()).isEqualTo(1);
        assertThat(stored()).hasSize(181).extracting(Snapshot::ts).isSorted().contains(late);
        compaction.compact(start);
        assertThat(jdbc.queryForObject("select samples from traffic_block where initiator = ? and hour = ?",
                Integer.class, wwpn.value(), Timestamp.from(start))).isEqualTo(181);
        assertThat(jdbc.queryForObject("select count(*) from traffic_sample where initiator = ?", Long.class,
                wwpn.value())).isZero();
        List<Snapshot> after = stored();
        assertThat(after).hasSize(181);
        assertThat(after.get(1).ts()).isEqualTo(late);
        assertThat(jdbc.queryForObject("select samples from traffic_compacted_hour where hour = ?", Long.class,
                Timestamp.from(start))).isGreaterThanOrEqualTo(181);

        // the storage status counts the blocks, on the API and on the traffic page
        mvc.perform(MockMvcRequestBuilders.get("/api/traffic/storage")
                        .with(SecurityMockMvcRequestPostProcessors
                                .user("viewer").roles("VIEWER")))
                .andExpect(MockMvcResultMatchers.status().isOk())
                .andExpect(MockMvcResultMatchers
                        .jsonPath("$.compactedSnapshots").value(Matchers.greaterThanOrEqualTo(181)))
                .andExpect(MockMvcResultMatchers
                        .jsonPath("$.compactedBytesPerSnapshot").value(Matchers.greaterThan(0.0)))
                .andExpect(MockMvcResultMatchers
                        .jsonPath("$.retentionDays").value(90));
        mvc.perform(MockMvcRequestBuilders.get("/traffic")
                        .with(SecurityMockMvcRequestPostProcessors
                                .user("viewer").roles("VIEWER")))
                .andExpect(MockMvcResultMatchers.status().isOk())
                .andExpect(MockMvcResultMatchers.content()
                        .string(Matchers.containsString("bytes per snapshot")));

        // once the day is closed, every hour of it is compacted and its partition gives its space back
        compaction.compactClosedHours();
        assertThat(jdbc.queryForObject("select pg_relation_size(?::regclass)", Long.class,
                "traffic_sample_" + day.toString().replace("-", ""))).isZero();
        assertThat(stored()).hasSize(181);

        // rates across the late snapshot come from its neighbours, whichever form they are kept in
        List<Rates> rates = new ArrayList<>();
        counters.rates(List.of(wwpn.value()), start.plusSeconds(10), start.plusSeconds(21), (s, r) -> rates.add(r));
        assertThat(rates).extracting(Rates::readIops).containsExactly(100f, 100f);
    }

    @Test
    void aBlockOfTheEarlierEncodingReadsAsStoredAndALateSnapshotRewritesItInTheCurrentOne() {
        wwpn = fixtures.vmWithActiveWwpn();
        Instant hour = start.plus(Duration.ofHours(5));
        List<Snapshot> earlier = TrafficHistory.day(wwpn.value(), day, 11).stream()
                .filter(s -> !s.ts().isBefore(hour) && s.ts().isBefore(hour.plus(Duration.ofHours(1)))).toList();
        // as a release before version 2 wrote it
        CounterBlock.Encoded block = GorillaBlockWriter.encode(earlier);
        compaction.saveBlock(wwpn.value(), hour, block);
        List<Snapshot> read = new ArrayList<>();
        counters.snapshots(List.of(wwpn.value()), hour, hour.plus(Duration.ofHours(1)), read::add);
        assertThat(read).isEqualTo(earlier);

        Instant late = earlier.get(0).ts().plusSeconds(5);
        assertThat(post(line(late, 1)).accepted()).isEqualTo(1);
        compaction.compact(hour);
        assertThat(jdbc.queryForObject("select get_byte(streams, 0) from traffic_block where initiator = ? and hour = ?",
                Integer.class, wwpn.value(), Timestamp.from(hour))).isEqualTo(2);
        List<Snapshot> after = new ArrayList<>();
        counters.snapshots(List.of(wwpn.value()), hour, hour.plus(Duration.ofHours(1)), after::add);
        assertThat(after).hasSize(earlier.size() + 1).contains(earlier.toArray(Snapshot[]::new));
        assertThat(after.get(1).ts()).isEqualTo(late);
    }

    /**
     * Late snapshots for an hour keep arriving while that hour is compacted again and again: every snapshot whose
     * store was acknowledged is there afterwards, exactly once, whichever form it ended up in.
     */
    @Test
    void compactionWhileSnapshotsOfTheSameHourArriveLosesAndDoublesNothing() throws Exception {
        wwpn = fixtures.vmWithActiveWwpn();
        Instant hour = start.plus(Duration.ofHours(5));
        int batches = 40;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            AtomicBoolean ingesting = new AtomicBoolean(true);
            Future<Integer> acknowledged = pool.submit(() -> {
                int stored = 0;
                for (int b = 0; b < batches; b++) {
                    List<String> lines = new ArrayList<>();
                    for (int i = 0; i < 9; i++) { // 40 batches of 9 snapshots: all 360 of the hour, interleaved
                        int n = i * batches + b;
                        lines.add(line(hour.plusSeconds(n * 10L), 100L * n));
                    }
                    stored += post(lines.toArray(String[]::new)).accepted();
                }
                ingesting.set(false);
                return stored;
            });
            Future<Integer> compactions = pool.submit(() -> {
                int runs = 0;
                while (ingesting.get() || runs == 0) {
                    compaction.compact(hour);
                    runs++;
                }
                return runs;
            });
            assertThat(acknowledged.get()).isEqualTo(360);
            assertThat(compactions.get()).isPositive();
        } finally {
            pool.shutdownNow();
        }
        List<Snapshot> all = new ArrayList<>();
        counters.snapshots(List.of(wwpn.value()), hour, hour.plus(Duration.ofHours(1)), all::add);
        assertThat(all).hasSize(360).extracting(Snapshot::ts).doesNotHaveDuplicates().isSorted();

        compaction.compact(hour);
        assertThat(jdbc.queryForObject("select samples from traffic_block where initiator = ? and hour = ?",
                Integer.class, wwpn.value(), Timestamp.from(hour))).isEqualTo(360);
        List<Snapshot> compacted = new ArrayList<>();
        counters.snapshots(List.of(wwpn.value()), hour, hour.plus(Duration.ofHours(1)), compacted::add);
        assertThat(compacted).isEqualTo(all);
    }
}
