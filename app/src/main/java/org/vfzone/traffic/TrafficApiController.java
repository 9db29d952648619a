package org.vfzone.traffic;

import java.io.InputStream;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
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

    private final SampleIngest ingest;

    TrafficApiController(SampleIngest ingest) {
        this.ingest = ingest;
    }

    @PostMapping("/samples")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, description = "Counter snapshots: "
            + "wwpn, timestamp (ISO-8601 or epoch seconds) and the fc_host statistics by their file names. At most "
            + "vfzone.traffic.max-request-size (413 above it) and max-batch snapshots; 503 with Retry-After when "
            + "the server is busy", content = {@Content(mediaType = "application/x-ndjson"),
            @Content(mediaType = "application/json"), @Content(mediaType = "text/csv")})
    @ApiResponse(responseCode = "200", description = "Counts and per-line "
            + "rejections", content = @Content(schema = @Schema(implementation = TrafficIngestService.Result.class)))
    ResponseEntity<Object> samples(@Parameter(hidden = true) InputStream body,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestHeader(value = HttpHeaders.CONTENT_LENGTH, required = false) Long contentLength) {
        SampleIngest.Answer answer = ingest.handle(body, contentType, contentLength == null ? -1 : contentLength);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status());
        if (answer.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(answer.retryAfter().toSeconds()));
        }
        if (answer.readingsPerRequest() > 0) {
            response.header(SampleIngest.READINGS_PER_REQUEST, String.valueOf(answer.readingsPerRequest()));
        }
        return response.body(answer.result() != null ? answer.result() : answer.problem());
    }
}
