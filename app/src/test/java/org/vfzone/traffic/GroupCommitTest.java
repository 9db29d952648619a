package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.TransactionSystemException;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.wwn.Wwn;

/**
 * Group commit: concurrent requests stored in one transaction keep their own per-line results; a refused line or
 * batch touches no other request; and nothing is acknowledged unless its group committed.
 */
class GroupCommitTest extends IntegrationTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    TrafficIngestService ingest;
    @Autowired
    SampleIngest sampleIngest;
    @Autowired
    TrafficProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(30));

    static String sample(String wwpn, Instant ts, long reads) {
        return "{\"wwpn\":\"" + wwpn + "\",\"timestamp\":\"" + ts + "\",\"fcp_input_requests\":" + reads
                + ",\"fcp_output_requests\":0,\"rx_words\":0,\"tx_words\":0,\"port_state\":\"Online\"}";
    }

    List<SnapshotParser.Line> lines(String... samples) {
        return sampleIngest.parse(String.join("\n", samples).getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
    }

    long stored(String wwpn) {
        return jdbc.queryForObject("select count(*) from traffic_sample where initiator = ?", Long.class,
                Wwn.parse(wwpn).value());
    }

    @Test
    void concurrentRequestsEachGetTheirOwnPerLineResult() throws Exception {
        int requests = 24;
        List<String> wwpns = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            wwpns.add(fixtures.vmWithActiveWwpn().toString());
        }
        ExecutorService senders = Executors.newFixedThreadPool(requests);
        CountDownLatch ready = new CountDownLatch(requests);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String wwpn = wwpns.get(i);
            // request 7 carries a line of a WWPN vfzone does not know, as its second line
            String body = sample(wwpn, t0, 100) + "\n" + (i == 7 ? sample("10:00:00:00:c9:99:99:99", t0, 1)
                    : sample(wwpn, t0.plusSeconds(10), 200)) + "\n" + sample(wwpn, t0.plusSeconds(20), 300) + "\n";
            answers.add(senders.submit((Callable<String>) () -> {
                ready.countDown();
                ready.await();
                return mvc.perform(post("/api/traffic/samples").with(user("collector").roles("COLLECTOR"))
                                .contentType("application/x-ndjson").content(body))
                        .andReturn().getResponse().getContentAsString();
            }));
        }
        for (int i = 0; i < requests; i++) {
            String answer = answers.get(i).get();
            if (i == 7) {
                assertThat(answer).contains("\"accepted\":2", "\"duplicates\":0", "\"line\":2",
                        "is not a VM or adapter WWPN known to vfzone");
            } else {
                assertThat(answer).isEqualTo("{\"accepted\":3,\"duplicates\":0,\"rejected\":[]}");
            }
            assertThat(stored(wwpns.get(i))).isEqualTo(i == 7 ? 2 : 3);
        }
        senders.shutdown();
    }

    @Test
    void batchesOfOneInitiatorInOneGroupStoreEachSnapshotOnceAndCountTheRepeatAsADuplicate() {
        String a = fixtures.vmWithActiveWwpn().toString();
        List<Object> outcomes = ingest.storeGroup(List.of(
                lines(sample(a, t0, 100), sample(a, t0.plusSeconds(10), 200)),
                lines(sample(a, t0.plusSeconds(10), 200), sample(a, t0.plusSeconds(20), 300))));
        assertThat(outcomes).containsExactly(new TrafficIngestService.Result(2, 0, List.of()),
                new TrafficIngestService.Result(1, 1, List.of()));
        assertThat(stored(a)).isEqualTo(3);
    }

    @Test
    void aMergedGroupCountsEachBatchsDuplicatesAndRejectionsAsItsOwn() {
        String a = fixtures.vmWithActiveWwpn().toString();
        String b = fixtures.vmWithActiveWwpn().toString();
        String c = fixtures.vmWithActiveWwpn().toString();
        ingest.storeGroup(List.of(lines(sample(b, t0, 100))));

        long mergedBefore = ingest.mergedGroups();
        List<Object> outcomes = ingest.storeGroup(List.of(
                lines(sample(a, t0, 100), sample(a, t0.plusSeconds(10), 200)),
                lines(sample(b, t0, 100), "{not json", sample(b, t0.plusSeconds(10), 200)),
                lines(sample(c, t0, 100), sample(c, t0, 100))));
        assertThat(outcomes.get(0)).isEqualTo(new TrafficIngestService.Result(2, 0, List.of()));
        TrafficIngestService.Result second = (TrafficIngestService.Result) outcomes.get(1);
        assertThat(second.accepted()).isEqualTo(1);
        assertThat(second.duplicates()).isEqualTo(1);
        assertThat(second.rejected()).extracting(TrafficIngestService.Rejection::line).containsExactly(2);
        assertThat(outcomes.get(2)).isEqualTo(new TrafficIngestService.Result(1, 1, List.of()));
        assertThat(ingest.mergedGroups()).as("stored as one batch, not batch by batch").isEqualTo(mergedBefore + 1);
        assertThat(stored(a)).isEqualTo(2);
        assertThat(stored(b)).isEqualTo(2);
        assertThat(stored(c)).isEqualTo(1);
    }

    /** The database refuses every row of one initiator, as it would a batch it cannot take, until closed. */
    AutoCloseable databaseRefusesRowsOf(String wwpn) {
        jdbc.execute("""
                create function refuse_one_initiator() returns trigger language plpgsql as $$
                begin
                  if new.initiator = %d then raise exception 'refused by the test'; end if;
                  return new;
                end $$""".formatted(Wwn.parse(wwpn).value()));
        jdbc.execute("create trigger refuse_one_initiator before insert on traffic_sample for each row "
                + "execute function refuse_one_initiator()");
        return () -> {
            jdbc.execute("drop trigger refuse_one_initiator on traffic_sample");
            jdbc.execute("drop function refuse_one_initiator()");
        };
    }

    @Test
    void aBatchTheDatabaseRefusesWholeLeavesTheOthersOfItsGroupStoredAndAloneStoresNothing() throws Exception {
        String a = fixtures.vmWithActiveWwpn().toString();
        String refused = fixtures.vmWithActiveWwpn().toString();
        String c = fixtures.vmWithActiveWwpn().toString();
        // the database refuses every row of one initiator, as it would a batch it cannot take
        try (AutoCloseable refusing = databaseRefusesRowsOf(refused)) {
            long mergedBefore = ingest.mergedGroups();
            List<Object> outcomes = ingest.storeGroup(List.of(
                    lines(sample(a, t0, 100), sample(a, t0.plusSeconds(10), 200)),
                    lines(sample(refused, t0, 100)),
                    lines(sample(c, t0, 100))));
            assertThat(ingest.mergedGroups()).as("refused as one batch").isEqualTo(mergedBefore);
            assertThat(outcomes.get(0)).isEqualTo(new TrafficIngestService.Result(2, 0, List.of()));
            assertThat(outcomes.get(1)).isInstanceOf(RuntimeException.class);
            assertThat(outcomes.get(2)).isEqualTo(new TrafficIngestService.Result(1, 0, List.of()));
            assertThat(stored(a)).isEqualTo(2);
            assertThat(stored(refused)).isZero();
            assertThat(stored(c)).isEqualTo(1);

            // alone in its group, the refused batch is answered with its refusal and nothing of it stays
            List<Object> alone = ingest.storeGroup(List.of(lines(sample(refused, t0.plusSeconds(10), 200))));
            assertThat(alone).singleElement().isInstanceOf(RuntimeException.class);
            assertThat(stored(refused)).isZero();
        }
    }

    /** An NDJSON body past the size from which a batch is stored while it is parsed. */
    static String largeBody(List<String> lines) {
        String body = String.join("\n", lines) + "\n";
        assertThat(body.length()).as("stored while parsed").isGreaterThan(SampleIngest.STREAM_BYTES);
        return body;
    }

    String postAsCollector(String body, int status) throws Exception {
        return mvc.perform(post("/api/traffic/samples").with(user("collector").roles("COLLECTOR"))
                        .contentType("application/x-ndjson").content(body))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().is(status))
                .andReturn().getResponse().getContentAsString();
    }

    @Test
    void aLargeBatchStoredWhileItIsParsedAnswersLineByLineAsAnyBatch() throws Exception {
        String a = fixtures.vmWithActiveWwpn().toString();
        String b = fixtures.vmWithActiveWwpn().toString();
        postAsCollector(sample(b, t0, 1), 200); // already stored: a duplicate when sent again
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1_400; i++) {
            lines.add(sample(a, t0.plusSeconds(i), i));
        }
        lines.add(sample(b, t0, 1));                              // line 1401: stored before
        lines.add("{broken");                                     // line 1402
        lines.add(sample("10:00:00:00:c9:99:99:99", t0, 1));      // line 1403: unknown WWPN
        for (int i = 1; i < 300; i++) {
            lines.add(sample(b, t0.plusSeconds(i), i));
        }
        lines.add(sample(a, t0.plusSeconds(5), 5));               // line 1703: twice in the batch, chunks apart
        long streamedBefore = ingest.streamedBatches();

        String answer = postAsCollector(largeBody(lines), 200);

        assertThat(ingest.streamedBatches()).isEqualTo(streamedBefore + 1);
        assertThat(answer).startsWith("{\"accepted\":1699,\"duplicates\":2,\"rejected\":[{\"line\":1402,")
                .contains("{\"line\":1403,\"reason\":\"wwpn 10:00:00:00:c9:99:99:99 is not a VM or adapter WWPN "
                        + "known to vfzone\"}");
        assertThat(stored(a)).isEqualTo(1_400);
        assertThat(stored(b)).isEqualTo(300);
        // sent again whole: every line a duplicate or refused as before, nothing stored twice
        assertThat(postAsCollector(largeBody(lines), 200)).startsWith(
                "{\"accepted\":0,\"duplicates\":1701,\"rejected\":[{\"line\":1402,");
        assertThat(stored(a)).isEqualTo(1_400);
    }

    @Test
    void aLargeBatchRefusedAfterItsFirstLinesLoadedStoresNothing() throws Exception {
        String a = fixtures.vmWithActiveWwpn().toString();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i <= properties.maxBatch(); i++) {
            lines.add(sample(a, t0.plusMillis(100L * i), i));
        }
        assertThat(postAsCollector(largeBody(lines), 400))
                .contains("the batch has more than " + properties.maxBatch() + " snapshots");
        assertThat(stored(a)).as("the chunks copied before the refusal are rolled back").isZero();

        // the database refuses a row far into the batch: none of the batch stays
        String refused = fixtures.vmWithActiveWwpn().toString();
        List<String> mixed = new ArrayList<>(lines.subList(0, 2_500));
        mixed.add(sample(refused, t0, 1));
        try (AutoCloseable refusing = databaseRefusesRowsOf(refused)) {
            int status;
            try {
                status = mvc.perform(post("/api/traffic/samples").with(user("collector").roles("COLLECTOR"))
                        .contentType("application/x-ndjson").content(largeBody(mixed))).andReturn().getResponse()
                        .getStatus();
            } catch (Exception refusedOnTheWayOut) {
                status = 500;
            }
            assertThat(status).as("not acknowledged").isNotEqualTo(200);
            assertThat(stored(a)).isZero();
            assertThat(stored(refused)).isZero();
        }
    }

    @Test
    void nothingIsAcknowledgedWhenTheGroupDoesNotCommit() {
        TrafficIngestService failing = Mockito.mock(TrafficIngestService.class);
        Mockito.when(failing.storeGroup(Mockito.anyList())).thenThrow(
                new TransactionSystemException("the commit failed"));
        GroupCommit group = new GroupCommit(failing, properties);
        try {
            String wwpn = fixtures.vmWithActiveWwpn().toString();
            assertThatThrownBy(() -> group.store(lines(sample(wwpn, t0, 100))))
                    .isInstanceOf(TransactionSystemException.class);
        } finally {
            group.destroy();
        }
    }
}
