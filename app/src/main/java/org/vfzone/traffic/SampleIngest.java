package org.vfzone.traffic;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/traffic/samples} from the body to the answer, for both of its entries: the API controller (any
 * caller the API's security admits) and {@link SampleIngestFilter} (a collector's bearer token, the most frequent
 * request, without the layers it does not need). The same limits, the same storing, the same answers.
 */
@Component
class SampleIngest {

    /** The response header that tells a collector how many readings to send per request. */
    static final String READINGS_PER_REQUEST = "Vfzone-Readings-Per-Request";

    /**
     * What to answer: a status, the result or a problem, a Retry-After (or null) and how many readings to send per
     * request (0: not said).
     */
    record Answer(HttpStatus status, TrafficIngestService.Result result, ProblemDetail problem, Duration retryAfter,
                  int readingsPerRequest) {
    }

    private final TrafficIngestService ingest;
    private final IngestGate gate;
    private final GroupCommit groupCommit;
    private final TrafficProperties properties;

    SampleIngest(TrafficIngestService ingest, IngestGate gate, GroupCommit groupCommit, TrafficProperties properties) {
        this.ingest = ingest;
        this.gate = gate;
        this.groupCommit = groupCommit;
        this.properties = properties;
    }

    Answer handle(InputStream body, String contentType, long contentLength) {
        try {
            // the whole body first, with no database connection held while a client is still sending
            byte[] bytes = gate.read(body, contentLength);
            // parsed here, stored with the batches of concurrent requests in one transaction, answered after commit; a
            // large NDJSON batch is stored on its own, its first lines loading while this thread parses the rest
            TrafficIngestService.Result result = ingest.streams(bytes, contentType)
                    ? groupCommit.storeStreamed(feed -> ingest.parseInto(bytes, feed))
                    : groupCommit.store(ingest.parse(bytes, contentType));
            HttpStatus status = result.accepted() == 0 && result.duplicates() == 0 && !result.rejected().isEmpty()
                    ? HttpStatus.BAD_REQUEST : HttpStatus.OK;
            // while batches queue up, collectors are asked to send several readings per request (each keeps its time)
            return new Answer(status, result, null, null,
                    groupCommit.busy() ? Math.max(1, properties.busyReadings()) : 1);
        } catch (IngestGate.Refused e) {
            return problem(e.status(), e.getMessage() + "; nothing of the batch was stored", e.retryAfter());
        } catch (UncheckedIOException e) {
            return problem(HttpStatus.BAD_REQUEST, "The batch was refused whole: " + e.getMessage()
                    + "; nothing of it was stored", null);
        } catch (IllegalArgumentException e) {
            return problem(HttpStatus.BAD_REQUEST, "The batch was refused whole: " + e.getMessage(), null);
        }
    }

    private static Answer problem(HttpStatus status, String detail, Duration retryAfter) {
        return new Answer(status, null, ProblemDetail.forStatusAndDetail(status, detail), retryAfter, 0);
    }
}
