package org.vfzone.zoning;

import java.util.ArrayList;
import java.util.List;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vfzone.fabric.FabricException;
import org.vfzone.security.People;
import org.vfzone.system.RuleViolation;

/**
 * Ends pushes whose node died (a crash, a kill, a lost host) by reading their fabric back, so no fabric stays
 * blocked: at startup, and on a schedule on one node at a time.
 */
@Component
class PushRecovery {

    private static final Logger log = LoggerFactory.getLogger(PushRecovery.class);
    static final String SYSTEM_USER = People.SYSTEM;

    private final ChangeSetPush pushes;

    PushRecovery(ChangeSetPush pushes) {
        this.pushes = pushes;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartup() {
        recoverOrphaned();
    }

    @Scheduled(fixedDelayString = "${vfzone.push.recovery-interval:PT1M}",
            initialDelayString = "${vfzone.push.recovery-interval:PT1M}")
    @SchedulerLock(name = "push-recovery", lockAtMostFor = "PT10M")
    void onSchedule() {
        recoverOrphaned();
    }

    /** Recovers every orphaned push it can read back; the others are tried again next time. */
    List<ChangeSet> recoverOrphaned() {
        return People.runAsSystem(this::recoverEach);
    }

    private List<ChangeSet> recoverEach() {
        List<ChangeSet> recovered = new ArrayList<>();
        for (ChangeSet orphan : pushes.orphanedPushes()) {
            try {
                ChangeSet result = pushes.resolveByReadBack(orphan.getId(), SYSTEM_USER, true);
                log.warn("Change set {} on fabric {} was left pushing by a node that stopped: {} / {}",
                        orphan.getId(), pushes.fabricName(orphan), result.getStatus(), result.getOutcome());
                recovered.add(result);
            } catch (RuleViolation | FabricException e) {
                log.warn("Change set {} left pushing by a stopped node cannot be recovered yet: {}", orphan.getId(),
                        e.getMessage());
            }
        }
        return recovered;
    }
}
