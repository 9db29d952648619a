package org.vfzone.fabric.brocade;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.FabricException.Kind;
import org.vfzone.fabric.HttpConversation;
import org.vfzone.fabric.Json;
import tools.jackson.databind.JsonNode;

/**
 * One FOS REST session: login with HTTP Basic, the session key on every request, RESTCONF errors mapped to
 * {@link FabricException}s (busy, stale, authentication, protocol), abort of an open zone transaction, logout.
 * The driver decides what to send; this class carries it.
 */
final class BrocadeSession {

    static final String YANG_JSON = BrocadeFosRestDriver.YANG_JSON;
    static final String SWITCH = "/rest/running/brocade-fibrechannel-switch/fibrechannel-switch";
    static final String OLD_SWITCH = "/rest/running/switch/fibrechannel-switch";
    /** Until the firmware is known, either encoding is welcome (FOS before 8.2.1c answers XML only). */
    private static final String EITHER = YANG_JSON + ", application/yang-data+xml;q=0.9";

    /**
     * REST sessions this process holds open to one switch at a time. FOS allows 3 by default (1 to 10 as set), and an
     * administrator's own tools need one; jobs and pushes beyond these wait for a session to close.
     */
    static final int SESSIONS_PER_SWITCH = 2;
    /** How many request timeouts a sign-in waits for one of this process's sessions to the switch to close. */
    static final int SESSION_PATIENCE_IN_TIMEOUTS = 10;
    private static final Map<URI, Semaphore> SESSION_SLOTS = new ConcurrentHashMap<>();

    static BrocadeSession login(FabricEndpoint endpoint, HttpClient client, int maxRetries, Duration retryDelay) {
        Semaphore slots = SESSION_SLOTS.computeIfAbsent(endpoint.baseUrl(),
                url -> new Semaphore(SESSIONS_PER_SWITCH, true));
        Duration patience = endpoint.timeout().multipliedBy(SESSION_PATIENCE_IN_TIMEOUTS);
        try {
            if (!slots.tryAcquire(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new FabricException(Kind.BUSY, "vfzone's " + SESSIONS_PER_SWITCH + " REST sessions to this "
                        + "switch stayed in use for " + patience.toSeconds() + " s; nothing was sent. Try again",
                        true, List.of(), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FabricException(Kind.UNREACHABLE, "Interrupted while waiting for a REST session to the switch",
                    true, List.of(), null);
        }
        BrocadeSession session;
        try {
            session = open(endpoint, client, maxRetries, retryDelay, slots);
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
        try {
            session.readFirmware();
        } catch (RuntimeException e) {
            session.logout();
            throw e;
        }
        return session;
    }

    /**
     * {@code POST /rest/login} with HTTP Basic; the session key comes back in the Authorization header. A switch whose
     * sessions are all taken (by other clients, or a session of ours it has not closed yet) is asked again after a
     * pause, as for a busy answer.
     */
    private static BrocadeSession open(FabricEndpoint endpoint, HttpClient client, int maxRetries, Duration retryDelay,
                                       Semaphore slots) {
        HttpConversation http = new HttpConversation(client, endpoint.baseUrl(), endpoint.timeout(), maxRetries,
                retryDelay);
        String basic = Base64.getEncoder().encodeToString((endpoint.username() + ":" + endpoint.password())
                .getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Basic " + basic);
        headers.put("Accept", EITHER);
        headers.put("User-Agent", "vfzone");
        HttpConversation.Response response = http.send("POST", "/rest/login", null, headers);
        for (int attempt = 1; attempt <= maxRetries && response.status() == 403
                && errorMessage(response).contains("Max limit for REST sessions"); attempt++) {
            http.note("the switch's REST sessions are all in use; asking again");
            try {
                Thread.sleep(retryDelay.toMillis() * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            response = http.send("POST", "/rest/login", null, headers);
        }
        if (response.status() == 401) {
            throw new FabricException(Kind.AUTHENTICATION, "The switch refused the user name or password ("
                    + errorMessage(response) + ")", true, http.log(), null);
        }
        if (response.status() == 403) {
            throw new FabricException(Kind.BUSY, "The switch refused a new REST session: " + errorMessage(response),
                    true, http.log(), null);
        }
        String key = response.headers().firstValue("Authorization").orElse(null);
        if (response.status() != 200 || key == null) {
            throw protocolOrRejected("login", response, http, null);
        }
        return new BrocadeSession(http, key, endpoint.virtualFabricId(), slots);
    }

    /**
     * {@code GET /rest/running/brocade-fibrechannel-switch/fibrechannel-switch} ({@code /rest/running/switch/…} before
     * FOS 8.2.1b) for {@code firmware-version}, which decides the dialect of everything after it.
     */
    private void readFirmware() {
        HttpConversation.Response response = send("GET", SWITCH, null);
        if (response.status() == 404) {
            response = send("GET", OLD_SWITCH, null);
        }
        if (response.status() != 200 || !(response.json() || response.contentType().contains("xml"))) {
            throw failure("GET fibrechannel-switch (the firmware version decides how to speak to it)", response);
        }
        chassis = Json.items(FosDialect.decode(response).path("Response").get("fibrechannel-switch")).stream()
                .findFirst().orElse(Json.MAPPER.createObjectNode());
        firmware = Json.text(chassis, "firmware-version");
        dialect = FosDialect.of(firmware);
        headers.put("Accept", dialect.mediaType());
        headers.put("Content-Type", dialect.mediaType());
        http.note("firmware " + (firmware == null ? "not reported" : firmware) + ": " + dialect.describe());
    }

    private final HttpConversation http;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Integer virtualFabricId;
    private boolean open = true;
    /** This process's sessions to the switch: one is this session's until it logs out. */
    private final Semaphore slots;
    private FosDialect dialect = FosDialect.BROCADE_ZONE_JSON;
    private String firmware;
    private JsonNode chassis;

    private BrocadeSession(HttpConversation http, String key, Integer virtualFabricId, Semaphore slots) {
        this.http = http;
        this.slots = slots;
        this.virtualFabricId = virtualFabricId;
        headers.put("Authorization", key);
        headers.put("Accept", EITHER);
        headers.put("User-Agent", "vfzone");
    }

    HttpConversation http() {
        return http;
    }

    FosDialect dialect() {
        return dialect;
    }

    /** {@code firmware-version} as the switch reported it, or null. */
    String firmware() {
        return firmware;
    }

    /** The default logical switch's {@code fibrechannel-switch} entry, as read at sign-in. */
    JsonNode chassis() {
        return chassis;
    }

    /** A container of the zoning module in this release's dialect, scoped to the virtual fabric. */
    String zone(String container) {
        return path(dialect.zonePath() + container);
    }

    String path(String path) {
        return path(virtualFabricId, path);
    }

    /** {@code ?vf-id=N} on every zoning URI when the fabric has a virtual fabric id. */
    static String path(Integer virtualFabricId, String path) {
        return virtualFabricId == null ? path : path + "?vf-id=" + virtualFabricId;
    }

    HttpConversation.Response send(String method, String pathAndQuery, String body) {
        return http.send(method, pathAndQuery, body, headers);
    }

    /** GETs a scoped path (see {@link #zone}); the answer's {@code Response} container. */
    JsonNode get(String scopedPath) {
        HttpConversation.Response response = http.send("GET", scopedPath, null, headers);
        if (response.status() != 200 || !dialect.speaks(response)) {
            throw failure("GET " + scopedPath, response);
        }
        try {
            return FosDialect.decode(response).path("Response");
        } catch (RuntimeException e) {
            throw new FabricException(Kind.PROTOCOL, "The switch's answer to GET " + scopedPath + " could not be read: "
                    + e.getMessage(), false, http.log(), e);
        }
    }

    /** Sends a step of a push; any other status than {@code status} fails it. */
    void expect(BrocadeFosRestDriver.Step step, int status) {
        HttpConversation.Response response = http.send(step.method(), step.path(), step.body(), headers);
        if (response.status() != status) {
            throw failure(step.method() + " " + step.path(), response);
        }
    }

    /** Sends cfg-action 4. True when no transaction is left open (aborted, or none was open). */
    boolean abort() {
        try {
            HttpConversation.Response response = http.send("PATCH", zone("effective-configuration"),
                    dialect.encode(Json.MAPPER.readTree("{\"effective-configuration\":{\"cfg-action\":4}}")), headers);
            return response.status() == 204 || (response.status() == 400
                    && errorMessage(response).contains("No outstanding transaction"));
        } catch (FabricException e) {
            return false;
        }
    }

    void logout() {
        if (!open) {
            return;
        }
        open = false;
        try {
            http.send("POST", "/rest/logout", null, headers);
        } catch (FabricException e) {
            http.note("logout failed: " + e.getMessage());
        } finally {
            slots.release();
        }
    }

    FabricException failure(String what, HttpConversation.Response response) {
        if (!response.json() && !response.contentType().contains("xml")) {
            return protocolOrRejected(what, response, http, dialect);
        }
        if (response.status() == 200 && !dialect.speaks(response)) {
            return protocolOrRejected(what, response, http, dialect);
        }
        String message = errorMessage(response);
        Kind kind;
        if (message.contains("outstanding admin transaction") || message.contains("Fabric is busy")) {
            kind = Kind.BUSY;
        } else if (message.toLowerCase().contains("checksum")) {
            kind = Kind.STALE;
        } else if (response.status() == 401) {
            kind = Kind.AUTHENTICATION;
        } else if (response.status() == 503) {
            kind = Kind.UNREACHABLE;
        } else {
            kind = Kind.REJECTED;
        }
        return new FabricException(kind, "The switch refused " + what + " (HTTP " + response.status() + "): "
                + message, false, http.log(), null);
    }

    /** A refusal, or an answer that is not the REST API at all; a null dialect accepts either encoding. */
    static FabricException protocolOrRejected(String what, HttpConversation.Response response,
                                              HttpConversation http, FosDialect dialect) {
        boolean spoken = dialect == null ? response.json() || response.contentType().contains("xml")
                : dialect.speaks(response);
        if (!spoken && !response.body().isEmpty()) {
            String type = response.contentType().isEmpty() ? "no content type" : response.contentType();
            return new FabricException(Kind.PROTOCOL, "The switch answered " + what + " with " + type
                    + " instead of the FOS REST API's " + (dialect == null ? "JSON or XML" : dialect.xml() ? "XML" : "JSON")
                    + ": check the URL and port, and that REST is enabled", false, http.log(), null);
        }
        return new FabricException(Kind.REJECTED, "The switch refused " + what + " (HTTP " + response.status() + ")",
                false, http.log(), null);
    }

    /** The RESTCONF error messages of a reply, with their codes; one error may come as an object, not a list. */
    static String errorMessage(HttpConversation.Response response) {
        try {
            JsonNode errors = FosDialect.decode(response).path("errors");
            List<String> messages = new ArrayList<>();
            for (JsonNode error : Json.items(errors.get("error"))) {
                String code = error.path("error-info").path("error-code").asString("");
                messages.add(error.path("error-message").asString("")
                        + (code.isEmpty() ? "" : " (error-code " + code + ")"));
            }
            return messages.isEmpty() ? "HTTP " + response.status() : String.join("; ", messages);
        } catch (RuntimeException e) {
            return "HTTP " + response.status();
        }
    }
}
