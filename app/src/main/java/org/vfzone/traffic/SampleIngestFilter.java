package org.vfzone.traffic;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.vfzone.system.CollectorTokens;
import org.vfzone.system.RequestLog;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The collectors' entry to {@code POST /api/traffic/samples}: a request with a bearer token that may post readings
 * is handled here, first of all filters — before the request observation, Spring Security's filter chain and Spring
 * MVC, which together cost several times the work of storing eight readings. The token is checked by the same rules
 * ({@link CollectorTokens}), the body goes through the same {@link SampleIngest}, the request is logged as every
 * request is ({@link RequestLog}; at DEBUG when it succeeded, as routine) and timed as {@value #METRIC} by status.
 * Anything else — no token, HTTP Basic, a token that is unknown, revoked or of another role — goes on to the API as
 * before, which answers it (401, 403, or the controller): this entry never refuses anyone itself.
 */
class SampleIngestFilter implements Filter {

    static final String PATH = "/api/traffic/samples";
    static final String METRIC = "vfzone.traffic.ingest.requests";

    private final SampleIngest ingest;
    private final CollectorTokens tokens;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Map<Integer, Timer> timers = new ConcurrentHashMap<>();

    SampleIngestFilter(SampleIngest ingest, CollectorTokens tokens, JsonMapper json, MeterRegistry meters) {
        this.ingest = ingest;
        this.tokens = tokens;
        this.json = json;
        this.meters = meters;
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FilterRegistrationBean<SampleIngestFilter> sampleIngestFilter(SampleIngest ingest, CollectorTokens tokens,
                                                                      JsonMapper json, MeterRegistry meters) {
            FilterRegistrationBean<SampleIngestFilter> registration =
                    new FilterRegistrationBean<>(new SampleIngestFilter(ingest, tokens, json, meters));
            registration.addUrlPatterns(PATH);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        HttpServletRequest request = (HttpServletRequest) req;
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        Optional<String> poster = !"POST".equals(request.getMethod()) || !PATH.equals(request.getRequestURI())
                || authorization == null || !authorization.startsWith("Bearer ") ? Optional.empty()
                : tokens.readingsPoster(authorization.substring(7).strip());
        if (poster.isEmpty()) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        SampleIngest.Answer answer = ingest.handle(request.getInputStream(), request.getContentType(),
                request.getContentLengthLong());
        response.setStatus(answer.status().value());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (answer.retryAfter() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(answer.retryAfter().toSeconds()));
        }
        if (answer.readingsPerRequest() > 0) {
            response.setHeader(SampleIngest.READINGS_PER_REQUEST, String.valueOf(answer.readingsPerRequest()));
        }
        response.setContentType(answer.result() != null ? MediaType.APPLICATION_JSON_VALUE
                : MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        try (OutputStream out = response.getOutputStream(); JsonGenerator body = json.createGenerator(out)) {
            if (answer.result() != null) {
                write(body, answer.result());
            } else {
                // RFC 9457, as the API writes its other problems
                body.writeStartObject();
                body.writeStringProperty("type", "about:blank");
                body.writeStringProperty("title", answer.problem().getTitle());
                body.writeNumberProperty("status", answer.problem().getStatus());
                body.writeStringProperty("detail", answer.problem().getDetail());
                body.writeStringProperty("instance", PATH);
                body.writeEndObject();
            }
        }
        int status = answer.status().value();
        timers.computeIfAbsent(status, s -> Timer.builder(METRIC).description("Collector posts of readings")
                        .tag("status", String.valueOf(s)).register(meters))
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        RequestLog.logRoutine(request, status, start, poster.get());
    }

    /** The result as the API controller writes it: {"accepted":…,"duplicates":…,"rejected":[{"line":…,"reason":…}]}. */
    private static void write(JsonGenerator body, TrafficIngestService.Result result) {
        body.writeStartObject();
        body.writeNumberProperty("accepted", result.accepted());
        body.writeNumberProperty("duplicates", result.duplicates());
        body.writeArrayPropertyStart("rejected");
        for (TrafficIngestService.Rejection rejection : result.rejected()) {
            body.writeStartObject();
            body.writeNumberProperty("line", rejection.line());
            body.writeStringProperty("reason", rejection.reason());
            body.writeEndObject();
        }
        body.writeEndArray();
        body.writeEndObject();
    }
}
