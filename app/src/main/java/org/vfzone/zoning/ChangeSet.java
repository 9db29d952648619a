package org.vfzone.zoning;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.descriptor.java.Immutability;
import org.vfzone.system.BaseEntity;

/** A reviewed zoning change for one fabric: what to send, who prepared and approved it, and how it ended. */
@Entity
@Table(name = "change_set")
public class ChangeSet extends BaseEntity {

    /**
     * How a push ended on the switch, as read back afterwards: fully committed, written and then taken back,
     * refused before anything was written (stale or busy), or neither the old nor the planned state.
     */
    public enum Outcome {
        COMMITTED("committed"), ROLLED_BACK("rolled back: the fabric is as before"),
        NOTHING_WRITTEN("nothing written"), UNKNOWN("outcome unknown: read the fabric");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        /** What happened, in the words the pages use. */
        public String getLabel() {
            return label;
        }
    }

    /** The inventory's fabric, by id: its name is asked of the inventory when shown. */
    private Long fabricId;
    @Enumerated(EnumType.STRING)
    private ChangeSetStatus status;
    private String createdBy;
    /** The person who planned it (through a token: the token's maker); null for work no person started. */
    private Long createdByUserId;
    private Instant createdAt;
    private String approvedBy;
    private Long approvedByUserId;
    private Instant approvedAt;
    private String pushedBy;
    private Instant finishedAt;
    private String stateToken;
    private String configName;
    /** The planned {@code ZoningChange} and the review rows (JSON in the column); replaced whole, never changed. */
    @Convert(converter = StoredPlanConverter.class)
    @Mutability(Immutability.class)
    private StoredPlan plan;
    @Enumerated(EnumType.STRING)
    private Outcome outcome;
    private String resultMessage;
    /** The application node running the push, while it runs. */
    private String pushNode;
    private Instant pushStartedAt;
    /** The standard change policy that approved this change set; null when a person approved it. */
    private Long approvalPolicyId;
    private String reason;
    private String ticket;
    /** The change sets one plan made, one per fabric, share this and are approved together. */
    private UUID planBatch;
    /** The approver's change window: pushed only inside it; by itself when it opens if {@link #pushInWindow}. */
    private Instant windowStart;
    private Instant windowEnd;
    private boolean pushInWindow;

    protected ChangeSet() {
    }

    ChangeSet(long fabricId, String createdBy, Long createdByUserId, Instant createdAt, String stateToken,
              String configName, StoredPlan plan) {
        this.fabricId = fabricId;
        this.status = ChangeSetStatus.PLANNED;
        this.createdBy = createdBy;
        this.createdByUserId = createdByUserId;
        this.createdAt = createdAt;
        this.stateToken = stateToken;
        this.configName = configName;
        this.plan = plan;
    }

    public Long getFabricId() { return fabricId; }
    public ChangeSetStatus getStatus() { return status; }
    public String getCreatedBy() { return createdBy; }
    public Long getCreatedByUserId() { return createdByUserId; }
    public Long getApprovedByUserId() { return approvedByUserId; }
    public Instant getCreatedAt() { return createdAt; }
    public String getApprovedBy() { return approvedBy; }
    public Instant getApprovedAt() { return approvedAt; }
    public String getPushedBy() { return pushedBy; }
    public Instant getFinishedAt() { return finishedAt; }
    public String getStateToken() { return stateToken; }
    public String getConfigName() { return configName; }
    public StoredPlan getPlan() { return plan; }
    public Outcome getOutcome() { return outcome; }
    public String getResultMessage() { return resultMessage; }
    public String getPushNode() { return pushNode; }
    public Instant getPushStartedAt() { return pushStartedAt; }

    void approve(String user, long userId, Instant at) {
        approve(user, at);
        this.approvedByUserId = userId;
    }

    private void approve(String user, Instant at) {
        this.status = ChangeSetStatus.APPROVED;
        this.approvedBy = user;
        this.approvedAt = at;
    }

    /** Approved by a standard change: recorded as {@code standard:<policy>} with the policy's id. */
    void approveByPolicy(long policyId, String policyName, Instant at) {
        approve("standard:" + policyName, at);
        this.approvalPolicyId = policyId;
    }

    public Long getApprovalPolicyId() { return approvalPolicyId; }
    public String getReason() { return reason; }
    public String getTicket() { return ticket; }
    public ChangeReason reason() { return new ChangeReason(reason, ticket); }
    public UUID getPlanBatch() { return planBatch; }
    public Instant getWindowStart() { return windowStart; }
    public Instant getWindowEnd() { return windowEnd; }
    public boolean isPushInWindow() { return pushInWindow; }

    void describe(ChangeReason why, UUID batch) {
        this.reason = why.reason();
        this.ticket = why.ticket();
        this.planBatch = batch;
    }

    /** Whether a push may start at {@code now}: always without a window, otherwise only inside it. */
    public boolean inWindow(Instant now) {
        return windowStart == null || (!now.isBefore(windowStart) && now.isBefore(windowEnd));
    }

    void window(Instant start, Instant end, boolean pushWhenOpen) {
        this.windowStart = start;
        this.windowEnd = end;
        this.pushInWindow = start != null && pushWhenOpen;
    }

    void startPush(String user, String node, Instant at) {
        this.status = ChangeSetStatus.PUSHING;
        this.pushedBy = user;
        this.pushNode = node;
        this.pushStartedAt = at;
    }

    void finish(ChangeSetStatus status, Outcome outcome, String message, Instant at) {
        this.pushNode = null;
        this.status = status;
        this.outcome = outcome;
        this.resultMessage = message;
        this.finishedAt = at;
    }

    /**
     * Planned again in place against the fabric a push left: the same scope, the new state token and requests. The
     * approval stands only when the requests are exactly the approved ones; otherwise it is back to PLANNED.
     */
    void replannedInPlace(String newStateToken, String newConfig, StoredPlan newPlan, boolean keepApproval, String note) {
        this.stateToken = newStateToken;
        this.configName = newConfig;
        this.plan = newPlan;
        this.resultMessage = note;
        if (!keepApproval) {
            this.status = ChangeSetStatus.PLANNED;
            this.approvedBy = null;
            this.approvedByUserId = null;
            this.approvedAt = null;
            this.approvalPolicyId = null;
            window(null, null, false);
        }
    }

    void retryable(String message) {
        this.pushNode = null;
        this.status = ChangeSetStatus.APPROVED;
        this.resultMessage = message;
    }
}
