package org.vfzone.system;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The one log line per request, with method, path, status, duration and user, as key=value pairs (JSON with
 * {@code logging.structured.format.console=ecs}). Never headers, query strings, or bodies: they can carry
 * credentials. Written by the request logging filter, and by entries that answer before it.
 */
public final class RequestLog {

    private static final Logger log = LoggerFactory.getLogger("org.vfzone.request");

    private RequestLog() {
    }

    /** Logs a request that started at {@code startNanos} ({@link System#nanoTime()}), answered by {@code user}. */
    public static void log(HttpServletRequest request, int status, long startNanos, String user) {
        log(request, status, startNanos, user, Level.INFO);
    }

    /**
     * Logs a routine request at DEBUG when it succeeded (a collector's post, thousands a minute) and at INFO when it
     * did not.
     */
    public static void logRoutine(HttpServletRequest request, int status, long startNanos, String user) {
        log(request, status, startNanos, user, status < 300 ? Level.DEBUG : Level.INFO);
    }

    private static void log(HttpServletRequest request, int status, long startNanos, String user, Level level) {
        if (!log.isEnabledForLevel(level)) {
            return;
        }
        log.atLevel(level)
                .addKeyValue("method", request.getMethod())
                .addKeyValue("path", request.getRequestURI())
                .addKeyValue("status", status)
                .addKeyValue("durationMs", (System.nanoTime() - startNanos) / 1_000_000)
                .addKeyValue("user", user)
                .log("request");
    }
}
