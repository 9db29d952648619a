package org.vfzone.provisioning;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vfzone.zoning.ZoningEvent;

/**
 * Hints that a job is due: any outcome of one of its change sets, and at startup and every poll interval whatever the
 * queue holds that is due (jobs a stopped node left, waiting jobs' periodic look). The queue itself is in the database.
 */
@Component
class ProvisioningTriggers {

    private final Provisioning provisioning;

    ProvisioningTriggers(Provisioning provisioning) {
        this.provisioning = provisioning;
    }

    @ApplicationModuleListener
    void on(ZoningEvent event) {
        if (event.changeSetId() != null && (event.kind() == ZoningEvent.Kind.CHANGE_APPROVED
                || event.kind() == ZoningEvent.Kind.CHANGE_PUSHED || event.kind() == ZoningEvent.Kind.CHANGE_FAILED
                || event.kind() == ZoningEvent.Kind.CHANGE_STALE || event.kind() == ZoningEvent.Kind.CHANGE_CANCELLED
                || event.kind() == ZoningEvent.Kind.PUSH_RECOVERED)) {
            provisioning.changeSetMoved(event.changeSetId());
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartup() {
        provisioning.kick();
    }

    /**
     * Takes due jobs on this node's job threads. Claims skip rows another node holds, so several nodes could poll at
     * once; the lock keeps the poll to one node per interval, as every scheduled job of vfzone is.
     */
    @Scheduled(fixedDelayString = "${vfzone.provision.poll-interval:PT10S}",
            initialDelayString = "${vfzone.provision.poll-interval:PT10S}")
    @SchedulerLock(name = "provision-poll", lockAtMostFor = "PT1M")
    void onSchedule() {
        provisioning.kick();
    }
}
