package org.vfzone.system;

import java.time.Duration;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Hands an event again to each listening module that has not handled it: its listener failed, or the node stopped
 * before it ran. Spring Modulith's registry keeps such publications in the database; a publication younger than
 * {@code vfzone.events.redeliver-after} may still be running on another node, so only older ones are taken. The
 * listeners handle an event once however often it comes (a delivery per event and channel, a job hint).
 */
@Component
public class EventRedelivery {

    private final IncompleteEventPublications incomplete;
    private final Duration after;

    EventRedelivery(IncompleteEventPublications incomplete, VfzoneProperties properties) {
        this.incomplete = incomplete;
        this.after = properties.events().redeliverAfter();
    }

    @Scheduled(fixedDelayString = "${vfzone.events.redeliver-every:PT1M}",
            initialDelayString = "${vfzone.events.redeliver-every:PT1M}")
    @SchedulerLock(name = "event-redelivery", lockAtMostFor = "PT10M")
    void onSchedule() {
        redeliverOlderThan(after);
    }

    /** Hands again every event a listener has not completed that was published longer ago than {@code age}. */
    public void redeliverOlderThan(Duration age) {
        incomplete.resubmitIncompletePublicationsOlderThan(age);
    }
}
