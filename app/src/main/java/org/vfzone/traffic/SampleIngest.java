package org.vfzone.traffic;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/traffic/samples} from the body to the answer, for both of its entries: the API controller (any
 * caller the API's security admits) and {@link SampleIngestFilter} (a collector's bearer token, the most frequent
 * request, without the layers it does not need). The same limits, the same storing, the same answers. Parsing is
 * here, not in the transactional {@link TrafficIngestService}: a call through its proxy (by reflection, after the
 * advice lookup) cost a small request a third of what parsing it did.
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

    private final SnapshotParser parser;
    private final IngestGate gate;
    private final GroupCommit groupCommit;
    private final TrafficProperties properties;

    SampleIngest(SnapshotParser parser, IngestGate gate, GroupCommit groupCommit, TrafficProperties properties) {
        this.parser = parser;
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
            TrafficIngestService.Result result = streams(bytes, contentType)
                    ? groupCommit.storeStreamed(feed -> parseInto(bytes, feed))
                    : groupCommit.store(parse(bytes, contentType));
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

    /** Parses a batch read whole into its lines, before any database work (a refused body throws). */
    List<SnapshotParser.Line> parse(byte[] body, String contentType) {
        List<SnapshotParser.Line> lines = new ArrayList<>();
        int count = 0;
        for (SnapshotParser.Line line : parser.parse(body, contentType)) {
            if (++count > properties.maxBatch()) {
                throw TrafficIngestService.overBatchLimit(properties.maxBatch());
            }
            lines.add(line);
        }
        return lines;
    }

    /** A body from this size on, NDJSON, is stored while it is parsed (a collector's usual request is far smaller). */
    static final int STREAM_BYTES = 256 * 1024;
    /**
     * Lines parsed and handed to the writer at a time when a batch is stored while it is parsed: few, so the writer
     * starts early and the last chunk after the parser ends is short (the COPY stays open across chunks).
     */
    static final int STREAM_CHUNK_LINES = 250;

    /** Whether a batch read whole is stored while it is parsed: large NDJSON. */
    boolean streams(byte[] body, String contentType) {
        return body.length >= STREAM_BYTES && parser.isNdjson(body, contentType);
    }

    /**
     * Parses NDJSON read whole a chunk of lines at a time, each handed to the feed as soon as it is read, with the
     * same lines and numbers as {@link #parse}; false when the feed took no more (the writer gave up). A body over
     * the batch limit is refused.
     */
    boolean parseInto(byte[] body, LineFeed feed) {
        int count = 0;
        for (List<SnapshotParser.Line> chunk : parser.ndjsonChunks(body, STREAM_CHUNK_LINES)) {
            count += chunk.size();
            if (count > properties.maxBatch()) {
                throw TrafficIngestService.overBatchLimit(properties.maxBatch());
            }
            if (!feed.put(chunk)) {
                return false;
            }
        }
        return true;
    }

    private static Answer problem(HttpStatus status, String detail, Duration retryAfter) {
        return new Answer(status, null, ProblemDetail.forStatusAndDetail(status, detail), retryAfter, 0);
    }
}
