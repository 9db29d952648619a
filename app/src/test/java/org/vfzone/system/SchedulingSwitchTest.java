package org.vfzone.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.vfzone.IntegrationTest;

/**
 * {@code vfzone.scheduling.enabled=false} leaves no schedule running, whatever a library on the classpath enables: the
 * tests drive jobs themselves, and test contexts sharing one database must not deliver or check each other's work.
 */
class SchedulingSwitchTest extends IntegrationTest {

    @Autowired
    ApplicationContext context;

    @Test
    void noScheduledTaskRunsWhenSchedulingIsSwitchedOff() {
        assertThat(context.getBeansOfType(ScheduledTaskHolder.class).values())
                .allSatisfy(holder -> assertThat(holder.getScheduledTasks()).isEmpty());
    }
}
