package org.vfzone.zoning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vfzone.IntegrationTest;

/** Two app nodes on one database: the scheduled drift check's lock is held by one of them at a time. */
class JobLockTest extends IntegrationTest {

    @Autowired
    DataSource dataSource;

    JdbcTemplateLockProvider node() {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource)).usingDbTime().build());
    }

    @Test
    void onlyOneNodeHoldsTheDriftCheckLock() {
        LockConfiguration config = new LockConfiguration(Instant.now(), "zoning-drift-check", Duration.ofMinutes(5),
                Duration.ZERO);
        Optional<SimpleLock> first = node().lock(config);
        Optional<SimpleLock> second = node().lock(config);
        assertThat(first).isPresent();
        assertThat(second).isEmpty();
        first.get().unlock();
        Optional<SimpleLock> afterRelease = node().lock(config);
        assertThat(afterRelease).isPresent();
        afterRelease.get().unlock();
    }
}
