package org.vfzone.traffic;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Semaphore;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * What stands between a collector's request and the database: the body is read whole into memory first (bounded
 * in size and time, no database connection held meanwhile, so slow clients cannot starve the pool); storing is
 * {@link GroupCommit}'s, with a few writers, so ingest never takes more than its share of the connection pool. Each
 * limit answers with the status a collector understands: 413, 408, or 503 with Retry-After (it backs off and buffers).
 */
@Component
class IngestGate {

    /** A request refused by a limit, with the HTTP status that says which. */
    static final class Refused extends RuntimeException {
        private final HttpStatus status;
        private final Duration retryAfter;

        Refused(HttpStatus status, String message, Duration retryAfter) {
            super(message);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        HttpStatus status() {
            return status;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }

    private static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private final TrafficProperties properties;
    private final Semaphore reads;

    IngestGate(TrafficProperties properties) {
        this.properties = properties;
        this.reads = new Semaphore(properties.concurrentReads());
    }

    /** Reads the body whole, refusing it past the size limit or the time limit. */
    byte[] read(InputStream body, long contentLength) {
        long max = properties.maxRequestSize().toBytes();
        if (contentLength > max) {
            throw tooLarge(max);
        }
        if (!reads.tryAcquire()) {
            throw new Refused(HttpStatus.SERVICE_UNAVAILABLE, "Too many batches are being received; retry later",
                    RETRY_AFTER);
        }
        try {
            long deadline = System.nanoTime() + properties.bodyReadTimeout().toNanos();
            if (contentLength > 0) {
                // the usual case: read straight into an array of the declared size (a buffer and a copy per request
                // were most of what a collector's request allocated)
                byte[] bytes = new byte[(int) contentLength];
                int read = 0;
                for (int n; read < bytes.length && (n = body.read(bytes, read, bytes.length - read)) >= 0; ) {
                    read += n;
                    checkDeadline(deadline);
                }
                return read == bytes.length ? bytes : Arrays.copyOf(bytes, read);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            byte[] buffer = new byte[8192];
            int n;
            while ((n = body.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > max) {
                    throw tooLarge(max);
                }
                checkDeadline(deadline);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("the request body could not be read", e);
        } finally {
            reads.release();
        }
    }

    /** A client trickling its body is cut off, not waited for. */
    private void checkDeadline(long deadline) {
        if (System.nanoTime() - deadline > 0) {
            throw new Refused(HttpStatus.REQUEST_TIMEOUT, "The body took longer than "
                    + properties.bodyReadTimeout().toSeconds() + " s to arrive", null);
        }
    }

    private static Refused tooLarge(long max) {
        return new Refused(HttpStatus.CONTENT_TOO_LARGE, "The body is larger than " + max + " bytes; send smaller "
                + "batches (vfzone.traffic.max-request-size)", null);
    }
}
