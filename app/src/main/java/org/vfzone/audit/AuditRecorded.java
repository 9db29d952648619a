package org.vfzone.audit;

import java.time.Instant;

/** An audit record just written, in the transaction that writes it (for forwarding once that commits). */
public record AuditRecorded(Instant at, String actor, String action, String objectType, Long objectId,
                            String summary) {
}
