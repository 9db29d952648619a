package org.vfzone.zoning;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vfzone.security.People;

/**
 * Opens change windows: pushes approved change sets whose window opened (as their approvers, with the rights they
 * hold then) and cancels those whose window closed unpushed. One node at a time.
 */
@Component
class ChangeWindows {

    private final ChangeSetPush pushes;

    ChangeWindows(ChangeSetPush pushes) {
        this.pushes = pushes;
    }

    @Scheduled(fixedDelayString = "${vfzone.changes.window-poll:PT30S}", initialDelayString = "PT20S")
    @SchedulerLock(name = "change-windows", lockAtMostFor = "PT30M")
    void openDueWindows() {
        People.runAsSystem(pushes::pushInOpenWindows);
    }
}
