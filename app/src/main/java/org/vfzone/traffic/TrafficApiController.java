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
@RequestMapping("/api/traffic")
class TrafficApiController {

    private final TrafficIngestService ingest;

    TrafficApiController(TrafficIngestService ingest) {
        this.ingest = ingest;
    }

    @PostMapping("/samples")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, description = "Counter snapshots: "
            + "wwpn, timestamp (ISO-8601 or epoch seconds) and the fc_host statistics by their file names; NDJSON is "
            + "read as it arrives", content = {@Content(mediaType = "application/x-ndjson"),
            @Content(mediaType = "application/json"), @Content(mediaType = "text/csv")})
    ResponseEntity<TrafficIngestService.Result> samples(@Parameter(hidden = true) InputStream body,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType) {
        TrafficIngestService.Result result = ingest.ingest(body, contentType);
        HttpStatus status = result.accepted() == 0 && result.duplicates() == 0 && !result.rejected().isEmpty()
                ? HttpStatus.BAD_REQUEST : HttpStatus.OK;
        return ResponseEntity.status(status).body(result);
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
