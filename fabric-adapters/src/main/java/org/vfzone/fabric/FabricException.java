package org.vfzone.fabric;

import java.util.List;

/**
 * A switch conversation that failed. {@link #transactionClosed()} tells whether the driver left no open
 * transaction or session lock behind (it aborted, or never wrote); the fabric's effective database is then
 * unchanged unless the failure came after the commit was sent, which only a read-back can tell.
 */
public class FabricException extends RuntimeException {

    public enum Kind {
        /** Wrong credentials or session refused. */
        AUTHENTICATION,
        /** Another administrator holds the zoning lock or an open transaction. Nothing was written. */
        BUSY,
        /** The fabric changed since the change was planned. Nothing was written. */
        STALE,
        /** The switch refused a request (bad name, unknown VSAN/vf-id, ...). */
        REJECTED,
        /** The switch answered something that is not its documented protocol (HTML, XML, garbage). */
        PROTOCOL,
        /** The switch could not be reached or dropped the connection. */
        UNREACHABLE,
        /** The switch's https certificate is not trusted (not verifiable, or not the pinned one). */
        TLS,
        /** The switch did not answer in time. */
        TIMEOUT
    }

    private final Kind kind;
    private final boolean transactionClosed;
    private final List<String> log;

    public FabricException(Kind kind, String message) {
        this(kind, message, true, List.of(), null);
    }

    public FabricException(Kind kind, String message, boolean transactionClosed, List<String> log, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.transactionClosed = transactionClosed;
        this.log = List.copyOf(log);
    }

    public Kind kind() {
        return kind;
    }

    public boolean transactionClosed() {
        return transactionClosed;
    }

    /** Requests sent before the failure, with the switch's answers. */
    public List<String> log() {
        return log;
    }

    /** The same failure, its message followed by what the driver found or did about it afterwards. */
    public FabricException withFollowUp(String followUp, boolean closed) {
        return new FabricException(kind, getMessage() + ". " + followUp, closed, log, getCause() == null ? this
                : getCause());
    }

    /** The same failure with what the driver did afterwards (abort, logout) and the full request log. */
    public FabricException after(boolean closed, List<String> fullLog) {
        return new FabricException(kind, getMessage(), closed, fullLog, getCause() == null ? this : getCause());
    }
}
