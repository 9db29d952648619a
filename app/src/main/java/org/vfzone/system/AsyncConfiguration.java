package org.vfzone.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Modules react to each other's events after the publishing transaction commits, on the application's bounded task
 * executor ({@code @ApplicationModuleListener}), so a slow reaction never holds the request that caused it.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
class AsyncConfiguration {
}
