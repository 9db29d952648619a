package org.vfzone.zoning;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/** What moves a waiting job on: its change set approved or pushed; and, at startup, jobs a stopped node left. */
@Component
class ProvisioningTriggers {

    private final Provisioning provisioning;

    ProvisioningTriggers(Provisioning provisioning) {
        this.provisioning = provisioning;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(ZoningEvent event) {
        if (event.changeSetId() != null && (event.kind() == ZoningEvent.Kind.CHANGE_APPROVED
                || event.kind() == ZoningEvent.Kind.CHANGE_PUSHED)) {
            provisioning.changeSetMoved(event.changeSetId());
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void recover() {
        provisioning.recoverOrphans();
    }

    /** Every minute, as push recovery does: a node that stops mid-job is noticed without waiting for a restart. */
    @org.springframework.scheduling.annotation.Scheduled(fixedDelayString = "${vfzone.push.recovery-interval:PT1M}",
            initialDelayString = "${vfzone.push.recovery-interval:PT1M}")
    @net.javacrumbs.shedlock.spring.annotation.SchedulerLock(name = "provision-recovery", lockAtMostFor = "PT10M")
    void onSchedule() {
        provisioning.recoverOrphans();
    }
}
