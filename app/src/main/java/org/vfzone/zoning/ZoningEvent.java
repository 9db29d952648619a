package org.vfzone.zoning;

import java.util.UUID;

/**
 * Something on a fabric that people may want to hear about (its zoning, its reachability, a port slow-draining),
 * published inside the transaction that records it. Spring Modulith's registry keeps it with that transaction until
 * each listening module has handled it, so a listener that fails, or a node that stops before it ran, gets it again
 * ({@code eventId} lets a listener handle it once).
 *
 * @param changeSetId the change set concerned, or null (drift, an unreadable fabric)
 * @param summary     one line for a subject: "Change set 12 on FAB-A planned by alice: 2 zones to add…"
 * @param detail      more for the body: the outcome message, the drift problems
 * @param eventId     this event, the same when it is handed to a listener again
 */
public record ZoningEvent(Kind kind, Long changeSetId, long fabricId, String fabricName, String actor,
                          String summary, String detail, UUID eventId) {

    public ZoningEvent(Kind kind, Long changeSetId, long fabricId, String fabricName, String actor, String summary,
                       String detail) {
        this(kind, changeSetId, fabricId, fabricName, actor, summary, detail, UUID.randomUUID());
    }

    public enum Kind {
        /** A change set waits for an approver. */
        CHANGE_PLANNED("a change set is planned"),
        CHANGE_APPROVED("a change set is approved"),
        /** Pushed and verified on the fabric. */
        CHANGE_PUSHED("a change set is pushed and verified"),
        CHANGE_FAILED("a push failed"),
        /** The fabric changed since the plan: plan again. */
        CHANGE_STALE("a change set went stale"),
        /** Cancelled by a person before it was pushed. */
        CHANGE_CANCELLED("a change set is cancelled"),
        /** A push left by a stopped node was ended by reading the fabric back. */
        PUSH_RECOVERED("a stopped push was recovered"),
        /** vfzone's zones differ from what it pushed. */
        DRIFT_FOUND("drift is found"),
        /** The drift check could not read the fabric. */
        FABRIC_UNREACHABLE("a fabric cannot be read"),
        /** A switch port started to slow-drain (congestion): said once until it recovers. */
        PORT_SLOW_DRAINING("a switch port is slow-draining");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The event in the words the pages use. */
        public String getLabel() {
            return label;
        }
    }
}
