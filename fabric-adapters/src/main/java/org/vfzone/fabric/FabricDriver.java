package org.vfzone.fabric;

import java.util.List;

/**
 * The one interface the application uses to zone a fabric; one implementation per vendor protocol. Each call is a
 * complete conversation (login … logout), so a driver holds no state between calls.
 */
public interface FabricDriver {

    /** Reads the defined and the effective zoning database. */
    ZoningDatabase read();

    /**
     * Applies the change in one vendor transaction and activates the config. Refused with {@code STALE} when the
     * fabric no longer matches {@link ZoningChange#expectedStateToken()}. On any failure the driver aborts the
     * transaction (or releases the lock) before it throws.
     */
    PushReport push(ZoningChange change);

    /**
     * The exact requests or commands {@link #push} sends for {@code change} to the fabric as read in {@code live}
     * (the read the change was planned from: a push to a fabric that changed since is refused as stale). Built
     * from the same request list {@link #push} sends, so the review cannot differ from what is sent.
     */
    List<String> preview(ZoningChange change, ZoningDatabase live);

    /**
     * The same change as a CLI script an administrator can paste into the switch's CLI in a change window, bringing
     * the fabric read as {@code live} to the planned after-state. Only commands and whole-line comments.
     */
    List<String> cliScript(ZoningChange change, ZoningDatabase live);

    /** The devices logged in to the fabric (its name server), for login status and discovery. */
    List<Login> readLogins();

    /**
     * Releases what a push that never finished (its node died) may have left held on the switch under vfzone's
     * user, such as an MDS zone session lock, discarding its uncommitted edits. Committed state is untouched.
     */
    default void releaseAbandonedSession() {
    }

    /**
     * Signs in and reads the firmware version and whether the configured virtual fabric or VSAN exists, for a
     * connection test; a failure to sign in or to reach the switch is thrown as for any call.
     */
    SwitchIdentity identify();

    /**
     * The fabric's per initiator–target flow counters, where the switch keeps them; a fabric without them answers
     * {@link FlowReading#unavailable}, which is not an error.
     */
    default FlowReading readFlows() {
        return FlowReading.unavailable("this switch protocol has no per-initiator flow statistics");
    }

    /**
     * The switch ports' congestion and error counters and who is logged in through each port; a protocol that cannot
     * say answers {@link PortHealthReading#unavailable}, which is not an error.
     */
    default PortHealthReading readPortHealth() {
        return PortHealthReading.unavailable("this switch protocol has no port statistics");
    }

    /** Whether zones may name aliases (otherwise members are plain WWNs). */
    boolean supportsAliases();
}
