package org.vfzone.provisioning;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code vfzone.provision}.
 *
 * @param threads      jobs run at once on one node
 * @param waitingLook  how often a job waiting for an approver looks again by itself
 * @param pollInterval how often the queue is read for due jobs (a stopped node's, a waiting job's next look)
 */
@ConfigurationProperties("vfzone.provision")
public record ProvisioningProperties(@DefaultValue("4") int threads, @DefaultValue("PT5M") Duration waitingLook,
                                     @DefaultValue("PT10S") Duration pollInterval) {
}
