package org.vfzone.system;

import java.util.concurrent.Executor;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Modules react to each other's events after the publishing transaction commits ({@code @ApplicationModuleListener}),
 * on threads of their own: a slow reaction never holds the request that caused it, and a burst of pushes on the
 * application's task executor never keeps a reaction (a notification, a job's hint) waiting behind it.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
class AsyncConfiguration implements AsyncConfigurer, DisposableBean {

    private final ThreadPoolTaskExecutor reactions = new ThreadPoolTaskExecutor();

    AsyncConfiguration() {
        reactions.setCorePoolSize(4);
        reactions.setThreadNamePrefix("reaction-");
        reactions.setWaitForTasksToCompleteOnShutdown(true);
        reactions.setAwaitTerminationSeconds(10);
        reactions.initialize();
    }

    @Override
    public Executor getAsyncExecutor() {
        return reactions;
    }

    /** Reactions under way finish (briefly); what is left stays in the event registry for the next start. */
    @Override
    public void destroy() {
        reactions.shutdown();
    }
}
