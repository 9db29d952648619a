package org.vfzone.traffic;

import java.io.InputStream;
import java.io.UncheckedIOException;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Ingest of per-initiator counter snapshots: {@code application/json} (array), {@code application/x-ndjson} or
 * {@code text/csv}. 200 with the counts and a per-line rejection list; 400 when the body cannot be read at all or
 * every line is rejected.
 */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Traffic", description = "Collector ingest, per-initiator and per-VM series and reports")
@RequestMapping("/api/traffic")
class TrafficApiController {

    /** The response header that tells a collector how many readings to send per request. */
    static final String READINGS_PER_REQUEST = "Vfzone-Readings-Per-Request";

    private final TrafficIngestService ingest;
    private final IngestGate gate;
    private final GroupCommit groupCommit;
    private final TrafficProperties properties;

    TrafficApiController(TrafficIngestService ingest, IngestGate gate, GroupCommit groupCommit,
                         TrafficProperties properties) {
        this.properties = properties;
        this.ingest = ingest;
        this.gate = gate;
        this.groupCommit = groupCommit;
    }

    @PostMapping("/samples")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, description = "Counter snapshots: "
            + "wwpn, timestamp (ISO-8601 or epoch seconds) and the fc_host statistics by their file names. At most "
            + "vfzone.traffic.max-request-size (413 above it) and max-batch snapshots; 503 with Retry-After when "
            + "the server is busy", content = {@Content(mediaType = "application/x-ndjson"),
            @Content(mediaType = "application/json"), @Content(mediaType = "text/csv")})
    ResponseEntity<TrafficIngestService.Result> samples(@Parameter(hidden = true) InputStream body,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestHeader(value = HttpHeaders.CONTENT_LENGTH, required = false) Long contentLength) {
        // the whole body first, with no database connection held while a client is still sending
        byte[] bytes = gate.read(body, contentLength == null ? -1 : contentLength);
        // parsed here, stored with the batches of concurrent requests in one transaction, answered after its commit
        TrafficIngestService.Result result = groupCommit.store(ingest.parse(bytes, contentType));
        HttpStatus status = result.accepted() == 0 && result.duplicates() == 0 && !result.rejected().isEmpty()
                ? HttpStatus.BAD_REQUEST : HttpStatus.OK;
        // while batches queue up, collectors are asked to send several readings per request (each keeps its time)
        return ResponseEntity.status(status).header(READINGS_PER_REQUEST,
                String.valueOf(groupCommit.busy() ? Math.max(1, properties.busyReadings()) : 1)).body(result);
    }

    @ExceptionHandler(IngestGate.Refused.class)
    ResponseEntity<ProblemDetail> refused(IngestGate.Refused e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        if (e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfter().toSeconds()));
        }
        return response.body(ProblemDetail.forStatusAndDetail(e.status(), e.getMessage()
                + "; nothing of the batch was stored"));
    }

    @ExceptionHandler(UncheckedIOException.class)
    ProblemDetail interrupted(UncheckedIOException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The batch was refused whole: "
                + e.getMessage() + "; nothing of it was stored");
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail unreadable(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The batch was refused whole: " + e.getMessage());
    }
}
