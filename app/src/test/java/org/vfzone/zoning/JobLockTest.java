package org.vfzone.zoning;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.vfzone.IntegrationTest;

/**
 * Two app nodes on one database: a scheduled job's lock is held by one of them at a time, and every scheduled job
 * of vfzone takes such a lock.
 */
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

    @Autowired
    ApplicationContext context;

    /** Every scheduled job of vfzone takes a database lock of its own name: with several nodes it runs once. */
    @Test
    void everyScheduledJobRunsUnderItsOwnDatabaseLock() {
        Map<String, String> lockOfJob = new TreeMap<>();
        for (String name : context.getBeanDefinitionNames()) {
            Class<?> type = AopUtils.getTargetClass(context.getBean(name));
            if (!type.getName().startsWith("org.vfzone")) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(Scheduled.class)) {
                    SchedulerLock lock = method.getAnnotation(
                            SchedulerLock.class);
                    assertThat(lock).as(type.getSimpleName() + "." + method.getName() + " has no @SchedulerLock")
                            .isNotNull();
                    lockOfJob.put(type.getSimpleName() + "." + method.getName(), lock.name());
                }
            }
        }
        assertThat(lockOfJob).as("the scheduled jobs").containsKey("PushRecovery.onSchedule")
                .containsKey("DriftDetector.checkAll");
        assertThat(Set.copyOf(lockOfJob.values())).as("one lock name per job").hasSize(lockOfJob.size());
    }
}
