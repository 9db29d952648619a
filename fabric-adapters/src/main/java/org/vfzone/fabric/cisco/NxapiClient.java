package org.vfzone.fabric.cisco;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.FabricException.Kind;
import org.vfzone.fabric.HttpConversation;
import org.vfzone.fabric.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * NX-API transport: JSON-RPC 2.0 {@code cli} calls to {@code /ins} with HTTP Basic, one result per command
 * (matched by id), the switch's errors and non-NX-API answers mapped to {@link FabricException}s. What to send is
 * the driver's business; how it travels is this class's.
 */
final class NxapiClient {

    private final FabricEndpoint endpoint;
    private final HttpClient client;

    NxapiClient(FabricEndpoint endpoint, HttpClient client) {
        this.endpoint = endpoint;
        this.client = client;
    }

    /** A conversation: requests with their log, 503 retried twice. */
    HttpConversation conversation() {
        return new HttpConversation(client, endpoint.baseUrl(), endpoint.timeout(), 2, Duration.ofSeconds(1));
    }

    /** Runs commands; the first error fails the call. */
    List<JsonNode> cli(HttpConversation http, List<String> commands) {
        List<JsonNode> results = call(http, commands);
        for (JsonNode result : results) {
            if (result.has("__error")) {
                throw error(result.path("__error").asString(), http);
            }
        }
        return results;
    }

    /** One JSON-RPC request; each result, or {"__error": msg} where the switch reported an error. */
    List<JsonNode> call(HttpConversation http, List<String> commands) {
        ArrayNode request = Json.MAPPER.createArrayNode();
        for (int i = 0; i < commands.size(); i++) {
            ObjectNode call = request.addObject();
            call.put("jsonrpc", "2.0");
            call.put("method", "cli");
            ObjectNode params = call.putObject("params");
            params.put("cmd", commands.get(i));
            params.put("version", 1);
            call.put("id", i + 1);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (endpoint.username() + ":" + endpoint.password()).getBytes(StandardCharsets.UTF_8)));
        headers.put("Content-Type", "application/json-rpc");
        headers.put("Accept", "application/json-rpc");
        HttpConversation.Response response = http.send("POST", "/ins", request.toString(), headers);
        if (response.status() == 401) {
            throw new FabricException(Kind.AUTHENTICATION, "The switch refused the user name or password", true,
                    http.log(), null);
        }
        if (!response.json()) {
            throw new FabricException(Kind.PROTOCOL, "The switch answered with " + (response.contentType().isEmpty()
                    ? "no content type" : response.contentType()) + " (HTTP " + response.status()
                    + ") instead of NX-API JSON-RPC: check the URL, port and that 'feature nxapi' is on", false,
                    http.log(), null);
        }
        List<JsonNode> replies = Json.items(Json.MAPPER.readTree(response.body()));
        Map<Integer, JsonNode> byId = new TreeMap<>();
        for (JsonNode reply : replies) {
            JsonNode result;
            if (reply.has("error")) {
                JsonNode error = reply.path("error");
                String msg = error.path("data").path("msg").asString(error.path("message").asString("Invalid command."));
                ObjectNode marker = Json.MAPPER.createObjectNode();
                marker.put("__error", msg.strip());
                result = marker;
            } else {
                result = reply.path("result").isNull() || reply.path("result").isMissingNode()
                        ? Json.MAPPER.createObjectNode() : reply.path("result");
            }
            byId.put(reply.path("id").asInt(byId.size() + 1), result);
        }
        if (byId.size() != commands.size()) {
            throw new FabricException(Kind.PROTOCOL, "The switch answered " + byId.size() + " of " + commands.size()
                    + " commands", false, http.log(), null);
        }
        return new ArrayList<>(byId.values());
    }

    /** A switch's error message as the failure it means: a lock held by someone else is busy, the rest refused. */
    static FabricException error(String msg, HttpConversation http) {
        Kind kind = msg.contains("Lock is currently busy") ? Kind.BUSY : Kind.REJECTED;
        String text = kind == Kind.BUSY ? "Fabric busy: " + msg + "; nothing was written" : "The switch refused: " + msg;
        return new FabricException(kind, text, false, http.log(), null);
    }
}
