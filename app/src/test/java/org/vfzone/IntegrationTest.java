package org.vfzone;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vfzone.wwn.Wwn;

/** Base of tests that run the whole application (MockMvc, services, repositories) on a real PostgreSQL. */
@SpringBootTest(properties = {"vfzone.admin-password=integration-admin-secret", "vfzone.data-dir=target/test-data",
        "vfzone.fabric.request-timeout=3s", "vfzone.scheduling.enabled=false",
        // test classes share a database: a job another class left waiting must not wake up against this class's switches
        "vfzone.provision.waiting-look=PT24H"})
@AutoConfigureMockMvc
@Import({InventoryFixtures.class, TestPeople.class})
public abstract class IntegrationTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Autowired
    private JdbcTemplate eventRegistry;

    /**
     * Waits until the modules listening to the events published so far have handled them (after the publishing
     * transaction, on the task executor): Spring Modulith's registry holds none of them any more, save failed ones.
     */
    protected void awaitEventsHandled() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> eventRegistry.queryForObject(
                "select count(*) from event_publication where completion_date is null and status is distinct from 'FAILED'",
                Long.class) == 0);
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.url("vfzone_it"));
        registry.add("spring.datasource.username", TestDatabase::username);
        registry.add("spring.datasource.password", TestDatabase::password);
    }

    /** A name no other test uses, since test classes share one database. */
    public static String unique(String prefix) {
        return prefix + "-" + System.nanoTime() % 1_000_000 + "-" + SEQUENCE.incrementAndGet();
    }

    private static final long WWN_BASE = new Random().nextLong() & 0xFFFF_0000_0L;

    /** A WWN no other test uses: NAA 5, a test OUI, and a counter in the low 36 bits. */
    public static String uniqueWwn() {
        return Wwn.parse(String.format("500a0b1%09x", WWN_BASE + SEQUENCE.incrementAndGet()))
                .toString();
    }
}
