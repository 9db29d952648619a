package org.vfzone.wwn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.system.RuleViolation;

class WwnAllocationTest extends IntegrationTest {

    @Autowired
    WwnAllocator allocator;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MockMvc mvc;

    private Wwn allocate(WwnPool pool) {
        return transaction.execute(status -> allocator.allocate(pool.getId(), WwnPurpose.ACTIVE_WWPN, null,
                "vm-test", "FAB-A", "tester"));
    }

    @Test
    void eightThreadsAllocatingConcurrentlyNeverGetTheSameWwn() throws Exception {
        WwnPool pool = fixtures.pool(1000);
        int threads = 8;
        int perThread = 40;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Wwn>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Callable<List<Wwn>> worker = () -> {
                start.await();
                List<Wwn> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    mine.add(allocate(pool));
                }
                return mine;
            };
            futures.add(executor.submit(worker));
        }
        start.countDown();
        List<Wwn> all = Collections.synchronizedList(new ArrayList<>());
        for (Future<List<Wwn>> future : futures) {
            all.addAll(future.get());
        }
        executor.shutdown();

        assertThat(all).hasSize(threads * perThread);
        assertThat(new HashSet<>(all)).hasSize(threads * perThread);
        assertThat(all).allMatch(pool::contains);
        assertThat(jdbc.queryForObject("select count(distinct wwn) from wwn_allocation where pool_id = ?", Long.class,
                pool.getId())).isEqualTo(threads * perThread);
    }

    @Test
    void anExhaustedPoolSaysSo() {
        WwnPool pool = fixtures.pool(2);
        allocate(pool);
        allocate(pool);
        assertThatThrownBy(() -> allocate(pool))
                .isInstanceOf(RuleViolation.class)
                .hasMessageContaining("is exhausted: all 2 WWNs are in use or in quarantine");
    }

    @Test
    void aReleasedWwnStaysInQuarantineBeforeItIsReusedAndTheLookupSaysUntilWhenAndWhoHeldIt() throws Exception {
        WwnPool pool = fixtures.pool(2);
        Wwn first = allocate(pool);
        Wwn second = allocate(pool);
        transaction.executeWithoutResult(status -> allocator.release(first, "tester"));

        assertThatThrownBy(() -> allocate(pool)).hasMessageContaining("exhausted");
        Long quarantineDays = jdbc.queryForObject("""
                select extract(day from reusable_after - released_at)::bigint from wwn_allocation
                 where wwn = ? and released_at is not null""", Long.class, first.toString());
        assertThat(quarantineDays).isEqualTo(30);
        // the lookup says so: in quarantine until when, and who held it last
        String lookup = mvc.perform(MockMvcRequestBuilders.get("/wwns")
                        .param("wwn", first.toString().replace(":", "").toUpperCase())
                        .with(SecurityMockMvcRequestPostProcessors
                                .user("vera").roles("VIEWER")))
                .andReturn().getResponse().getContentAsString();
        assertThat(lookup).contains("In quarantine").contains("vm-test").contains("FAB-A")
                .doesNotContain("Not used anywhere in the inventory");
        mvc.perform(MockMvcRequestBuilders.get("/api/wwns/{wwn}", first)
                        .with(SecurityMockMvcRequestPostProcessors
                                .user("vera").roles("VIEWER")))
                .andExpect(MockMvcResultMatchers.jsonPath("$.inUse")
                        .value(false))
                .andExpect(MockMvcResultMatchers
                        .jsonPath("$.quarantine.vmName").value("vm-test"))
                .andExpect(MockMvcResultMatchers
                        .jsonPath("$.quarantine.releasedBy").value("tester"));

        // once the quarantine has passed, the WWN comes back
        jdbc.update("update wwn_allocation set reusable_after = now() - interval '1 minute' where wwn = ?",
                first.toString());
        assertThat(allocate(pool)).isEqualTo(first);
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void skipsWwnsAlreadyUsedElsewhere() {
        WwnPool pool = fixtures.pool(3);
        var host = fixtures.host();
        // enter the pool's first WWN by hand as a physical port
        jdbc.update("""
                insert into adapter (host_id, kind, vendor, model, pci_address, wwnn, wwpn, max_vfs, max_npiv_vports)
                values (?, 'HBA', 'x', 'y', '0000:99:00.0', ?, ?, 0, 0)""", host.getId(),
                IntegrationTest.uniqueWwn(), pool.getFirstWwn().toString());
        assertThat(allocate(pool)).isEqualTo(pool.getFirstWwn().plus(1));
    }
}
