package org.vfzone.fabric.brocade;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** {@code POST /rest/login} with HTTP Basic; the session key comes back in the Authorization header. */
    static BrocadeSession login(FabricEndpoint endpoint, HttpClient client, int maxRetries, Duration retryDelay) {
        HttpConversation http = new HttpConversation(client, endpoint.baseUrl(), endpoint.timeout(), maxRetries,
                retryDelay);
        String basic = Base64.getEncoder().encodeToString((endpoint.username() + ":" + endpoint.password())
                .getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Basic " + basic);
        headers.put("Accept", YANG_JSON);
        headers.put("User-Agent", "vfzone");
        HttpConversation.Response response = http.send("POST", "/rest/login", null, headers);
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
            throw protocolOrRejected("login", response, http);
        }
        return new BrocadeSession(http, key, endpoint.virtualFabricId());
    }

    private final HttpConversation http;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Integer virtualFabricId;
    private boolean open = true;

    private BrocadeSession(HttpConversation http, String key, Integer virtualFabricId) {
        this.http = http;
        this.virtualFabricId = virtualFabricId;
        headers.put("Authorization", key);
        headers.put("Accept", YANG_JSON);
        headers.put("Content-Type", YANG_JSON);
        headers.put("User-Agent", "vfzone");
    }

    HttpConversation http() {
        return http;
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

    JsonNode get(String path) {
        HttpConversation.Response response = http.send("GET", path(path), null, headers);
        if (response.status() != 200 || !response.json()) {
            throw failure("GET " + path, response);
        }
        return Json.MAPPER.readTree(response.body()).path("Response");
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
            HttpConversation.Response response = http.send("PATCH",
                    path(BrocadeFosRestDriver.ZONE + "effective-configuration"),
                    "{\"effective-configuration\":{\"cfg-action\":4}}", headers);
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
        }
    }

    FabricException failure(String what, HttpConversation.Response response) {
        if (!response.json()) {
            return protocolOrRejected(what, response, http);
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

    static FabricException protocolOrRejected(String what, HttpConversation.Response response,
                                                      HttpConversation http) {
        if (!response.json() && !response.body().isEmpty()) {
            String type = response.contentType().isEmpty() ? "no content type" : response.contentType();
            return new FabricException(Kind.PROTOCOL, "The switch answered " + what + " with " + type
                    + " instead of the FOS REST API's JSON: check the URL and port, and that REST is enabled",
                    false, http.log(), null);
        }
        return new FabricException(Kind.REJECTED, "The switch refused " + what + " (HTTP " + response.status() + ")",
                false, http.log(), null);
    }

    /** The RESTCONF error messages of a reply, with their codes; one error may come as an object, not a list. */
    static String errorMessage(HttpConversation.Response response) {
        try {
            JsonNode errors = Json.MAPPER.readTree(response.body()).path("errors");
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
