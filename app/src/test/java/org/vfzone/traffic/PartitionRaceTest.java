package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;

/**
 * Several ingests that need the same missing day's partition at once (collectors sending their backlog after an
 * outage) all succeed: creating a partition is serialized, never a "relation already exists" that loses a batch.
 */
class PartitionRaceTest extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;

    @Test
    void concurrentIngestTransactionsCreatingOneDayAllSucceed() throws Exception {
        int threads = 8;
        for (int round = 0; round < 5; round++) {
            // a day no other test uses; each round a fresh one
            LocalDate day = LocalDate.of(2090, 1, 1).plusDays(System.nanoTime() % 20_000);
            // a partition cache per "node", as separate application nodes would have
            List<TrafficPartitions> nodes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                nodes.add(new TrafficPartitions(jdbc, null, Clock.systemUTC(), transaction, null));
            }
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (TrafficPartitions node : nodes) {
                    results.add(pool.submit(() -> {
                        start.await();
                        transaction.executeWithoutResult(status -> node.ensureDay(day));
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> result : results) {
                    result.get(); // rethrows a failed creation
                }
            } finally {
                pool.shutdownNow();
            }
            String partition = "traffic_sample_" + day.toString().replace("-", "");
            assertThat(jdbc.queryForObject("select count(*) from pg_class where relname = ?", Long.class, partition))
                    .isEqualTo(1);
            jdbc.execute("drop table " + partition);
        }
    }
}
