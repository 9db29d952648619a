package org.vfzone.vcenter;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code vfzone.vcenter}.
 *
 * @param interval       how often each vCenter is asked for its VMs' newest samples (real-time samples are 20 s apart
 *                       and vCenter keeps an hour of them)
 * @param threads        vCenters polled at the same time (a slow one holds one thread, not the others)
 * @param requestTimeout longest wait for one answer of a vCenter
 */
@ConfigurationProperties("vfzone.vcenter")
public record VcenterProperties(@DefaultValue("PT1M") Duration interval, @DefaultValue("4") int threads,
                                @DefaultValue("PT60S") Duration requestTimeout) {
}
