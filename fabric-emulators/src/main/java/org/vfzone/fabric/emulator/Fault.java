package org.vfzone.fabric.emulator;

/** What an emulated switch does instead of answering normally. */
public enum Fault {
    /** Answer 500 with the vendor's error body, without processing the request. */
    FAIL,
    /** Answer 503 Service Unavailable, without processing the request. */
    UNAVAILABLE,
    /** Never answer (until the client gives up), without processing the request. */
    HANG,
    /** Process the request, then never answer: the client cannot know it happened. */
    HANG_AFTER_PROCESSING,
    /**
     * Hold the request past the client's patience ({@code lateBy}), then process it and never answer: the switch ran
     * a request whose answer the client gave up on.
     */
    PROCESS_LATE,
    /** Close the connection without answering, without processing the request. */
    DROP_CONNECTION,
    /** Process the request, then close the connection without answering. */
    DROP_AFTER_PROCESSING,
    /** Before processing, another administrator commits a change: the checksum / state moves on. */
    CONCURRENT_CHANGE,
    /**
     * Before processing, another administrator opens a zone transaction (FOS) or zone session (MDS) and keeps it; on
     * FOS, one already open is cancelled first, as another client's {@code cfgtransabort} does.
     */
    FOREIGN_TRANSACTION
}
