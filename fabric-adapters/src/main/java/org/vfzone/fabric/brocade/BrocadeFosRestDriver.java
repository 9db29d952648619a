package org.vfzone.fabric.brocade;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.vfzone.fabric.Alias;
import org.vfzone.fabric.FabricDriver;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricException.Kind;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.FlowReading;
import org.vfzone.fabric.HttpConversation;
import org.vfzone.fabric.Json;
import org.vfzone.fabric.Login;
import org.vfzone.fabric.PushReport;
import org.vfzone.fabric.SwitchIdentity;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningChange;
import org.vfzone.fabric.ZoningDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Brocade FOS REST API driver. A push is one zone transaction: log in, read the effective configuration (its
 * checksum must be the one the plan saw, and no other transaction may be open), send the edits as batched
 * {@code defined-configuration} bodies, enable the cfg quoting the checksum (which commits the transaction), and log
 * out. Any failure after the first edit sends {@code cfg-action 4} (abort) before logging out.
 */
public class BrocadeFosRestDriver implements FabricDriver {

    static final String ZONE = "/rest/running/brocade-zone/";
    static final String YANG_JSON = "application/yang-data+json";
    /** Objects per request body: bounds the request count without making one huge body. */
    static final int BATCH = 100;

    private final FabricEndpoint endpoint;
    private final HttpClient client;
    private final int maxRetries;
    private final Duration retryDelay;

    public BrocadeFosRestDriver(FabricEndpoint endpoint) {
        this(endpoint, 3, Duration.ofSeconds(4));
    }

    /** Over a shared HTTP client (one per application and trust setting; see {@link FabricEndpoint#newClient()}). */
    public BrocadeFosRestDriver(FabricEndpoint endpoint, HttpClient client) {
        this(endpoint, client, 3, Duration.ofSeconds(4));
    }

    public BrocadeFosRestDriver(FabricEndpoint endpoint, int maxRetries, Duration retryDelay) {
        this(endpoint, endpoint.newClient(), maxRetries, retryDelay);
    }

    BrocadeFosRestDriver(FabricEndpoint endpoint, HttpClient client, int maxRetries, Duration retryDelay) {
        this.endpoint = endpoint;
        this.client = client;
        this.maxRetries = maxRetries;
        this.retryDelay = retryDelay;
    }

    /** One HTTP request of a push, shown in previews and sent as is. */
    record Step(String method, String path, String body) {
        @Override
        public String toString() {
            return method + " " + path + (body == null ? "" : " " + body);
        }
    }

    @Override
    public boolean supportsAliases() {
        return true;
    }

    @Override
    public ZoningDatabase read() {
        BrocadeSession session = login();
        try {
            JsonNode effective = session.get(ZONE + "effective-configuration").path("effective-configuration");
            JsonNode defined = session.get(ZONE + "defined-configuration").path("defined-configuration");
            return parse(effective, defined);
        } finally {
            session.logout();
        }
    }

    /**
     * {@code GET /rest/running/brocade-fibrechannel-switch/fibrechannel-switch} for {@code firmware-version} (FOS 8.x
     * answers on {@code /rest/running/switch/fibrechannel-switch}), then the same with {@code ?vf-id=} when zoning is
     * scoped to a virtual fabric: refused there when that logical switch does not exist.
     */
    @Override
    public SwitchIdentity identify() {
        BrocadeSession session = login();
        try {
            HttpConversation.Response response = session.send("GET",
                    "/rest/running/brocade-fibrechannel-switch/fibrechannel-switch", null);
            if (response.status() == 404) {
                response = session.send("GET", "/rest/running/switch/fibrechannel-switch", null);
            }
            if (response.status() != 200 || !response.json()) {
                throw session.failure("GET fibrechannel-switch", response);
            }
            JsonNode chassis = Json.items(Json.MAPPER.readTree(response.body()).path("Response")
                    .get("fibrechannel-switch")).stream().findFirst().orElse(Json.MAPPER.createObjectNode());
            String firmware = Json.text(chassis, "firmware-version");
            if (endpoint.virtualFabricId() == null) {
                return new SwitchIdentity(firmware, "the default logical switch", true,
                        Json.text(chassis, "user-friendly-name", "name"));
            }
            String partition = "virtual fabric " + endpoint.virtualFabricId();
            HttpConversation.Response scoped = session.send("GET",
                    path("/rest/running/brocade-fibrechannel-switch/fibrechannel-switch"), null);
            if (scoped.status() != 200 || !scoped.json()) {
                return new SwitchIdentity(firmware, partition, false,
                        BrocadeSession.errorMessage(scoped));
            }
            JsonNode logical = Json.items(Json.MAPPER.readTree(scoped.body()).path("Response")
                    .get("fibrechannel-switch")).stream().findFirst().orElse(Json.MAPPER.createObjectNode());
            return new SwitchIdentity(firmware, partition, true,
                    Json.text(logical, "user-friendly-name", "name"));
        } finally {
            session.logout();
        }
    }

    /**
     * Who holds the zoning lock, from the {@code fabric-lock} container (FOS 9.0 and later): " (held by jdoe from
     * 192.0.2.15 with SANnav, 240 s left)"; empty where the switch does not say (older firmware, or no lock).
     */
    private String lockHolder(BrocadeSession session) {
        try {
            HttpConversation.Response response = session.send("GET", path(ZONE + "fabric-lock"), null);
            if (response.status() != 200 || !response.json()) {
                return "";
            }
            JsonNode lock = Json.MAPPER.readTree(response.body()).path("Response").path("fabric-lock");
            String user = Json.text(lock, "client-user-name");
            String address = Json.text(lock, "client-ip-address");
            String application = Json.text(lock, "client-application-name");
            String left = Json.text(lock, "remaining-time");
            if (user == null && address == null && application == null) {
                return "";
            }
            return " (held by " + (user == null ? "an unnamed user" : user) + (address == null ? "" : " from " + address)
                    + (application == null || application.isBlank() ? "" : " with " + application)
                    + (left == null ? "" : ", " + left + " s left") + ")";
        } catch (RuntimeException unreadable) {
            return ""; // the refusal stands on its own; who holds the lock is only a courtesy
        }
    }

    /** {@code GET /rest/running/brocade-name-server/fibrechannel-name-server}; "No entries found" is an empty fabric. */
    /** FOS REST has per-port statistics only; per-initiator flows exist only in Flow Vision, at the CLI. */
    @Override
    public FlowReading readFlows() {
        return FlowReading.unavailable("Brocade FOS REST has no per-initiator flow statistics (Flow Vision is CLI-only)");
    }

    @Override
    public List<Login> readLogins() {
        BrocadeSession session = login();
        try {
            HttpConversation.Response response = session.send("GET",
                    path("/rest/running/brocade-name-server/fibrechannel-name-server"), null);
            if (response.status() == 404 && response.json()
                    && BrocadeSession.errorMessage(response).contains("No entries found")) {
                return List.of();
            }
            if (response.status() != 200 || !response.json()) {
                throw session.failure("GET name server", response);
            }
            List<Login> logins = new ArrayList<>();
            for (JsonNode entry : Json.items(Json.MAPPER.readTree(response.body()).path("Response")
                    .get("fibrechannel-name-server"))) {
                String index = Json.text(entry, "port-index");
                logins.add(new Login(lower(List.of(Json.text(entry, "port-name"))).get(0),
                        Json.text(entry, "node-name") == null ? null : Json.text(entry, "node-name").toLowerCase(),
                        Json.text(entry, "port-id"), index == null ? null : "port index " + index,
                        Json.text(entry, "port-symbolic-name"), Json.text(entry, "fc4-features", "fc4-type")));
            }
            return logins;
        } finally {
            session.logout();
        }
    }

    @Override
    public List<String> preview(ZoningChange change, ZoningDatabase live) {
        List<String> lines = new ArrayList<>();
        lines.add("POST /rest/login");
        lines.add("GET " + path(ZONE + "effective-configuration") + "   (checksum must be "
                + change.expectedStateToken() + ")");
        steps(change).forEach(step -> lines.add(step.toString()));
        lines.add(enableStep(change.config(), change.expectedStateToken()).toString());
        lines.add("POST /rest/logout");
        return lines;
    }

    @Override
    public PushReport push(ZoningChange change) {
        BrocadeSession session = login();
        boolean wrote = false;
        try {
            JsonNode effective = session.get(ZONE + "effective-configuration").path("effective-configuration");
            String checksum = Json.text(effective, "checksum");
            if (!change.expectedStateToken().equals(checksum)) {
                throw new FabricException(Kind.STALE, "The fabric's zoning changed since the plan (checksum "
                        + change.expectedStateToken() + " planned, " + checksum + " now); plan again");
            }
            if (effective.path("transaction-token").asInt(0) != 0) {
                throw new FabricException(Kind.BUSY, "Another administrator has an open zoning transaction on this "
                        + "fabric" + lockHolder(session) + "; nothing was written. Retry when it is committed or "
                        + "aborted");
            }
            for (Step step : steps(change)) {
                wrote = true;
                session.expect(step, step.method().equals("POST") ? 201 : 204);
            }
            wrote = true;
            session.expect(enableStep(change.config(), checksum), 204);
            session.logout();
            return new PushReport(session.http().requests(), session.http().log());
        } catch (FabricException e) {
            boolean closed = !wrote || session.abort();
            session.logout();
            throw e.after(closed, session.http().log());
        }
    }

    /**
     * FOS CLI commands (a restricted shell, so {@code #} lines are comments) in the push's order: zones leave the cfg
     * before they go, aliases come before the zones that name them, members of a changed zone are removed and added
     * in place, the cfg is created by its first zone when it does not exist yet, and cfgenable (which also saves the
     * defined configuration, and asks to confirm) comes last.
     */
    @Override
    public List<String> cliScript(ZoningChange change, ZoningDatabase live) {
        List<String> lines = new ArrayList<>();
        lines.add("# Brocade FOS CLI" + (endpoint.virtualFabricId() == null ? ""
                : "; first: setcontext " + endpoint.virtualFabricId()));
        List<String> cfgMembers = new ArrayList<>(live.configs().getOrDefault(change.config(), List.of()));
        boolean cfgExists = live.configs().containsKey(change.config());
        for (String zone : change.removeZones()) {
            if (cfgMembers.remove(zone)) {
                lines.add("cfgremove " + quote(change.config()) + ", " + quote(zone));
            }
            lines.add("zonedelete " + quote(zone));
        }
        for (Alias alias : change.addAliases()) {
            lines.add("alicreate " + quote(alias.name()) + ", " + quote(String.join("; ", alias.wwns())));
        }
        for (Zone zone : change.replaceZones()) {
            Zone current = live.zones().get(zone.name());
            if (zone.peer() || current == null || current.peer()) {
                boolean inCfg = cfgMembers.remove(zone.name());
                if (inCfg) {
                    lines.add("cfgremove " + quote(change.config()) + ", " + quote(zone.name()));
                }
                if (current != null) {
                    lines.add("zonedelete " + quote(zone.name()));
                }
                lines.add(zoneCreate(zone));
                if (inCfg) {
                    lines.add("cfgadd " + quote(change.config()) + ", " + quote(zone.name()));
                    cfgMembers.add(zone.name());
                }
            } else {
                List<String> gone = current.members().stream().filter(m -> !zone.members().contains(m)).toList();
                List<String> added = zone.members().stream().filter(m -> !current.members().contains(m)).toList();
                // add first: a zone may not be left without members
                if (!added.isEmpty()) {
                    lines.add("zoneadd " + quote(zone.name()) + ", " + quote(String.join("; ", added)));
                }
                if (!gone.isEmpty()) {
                    lines.add("zoneremove " + quote(zone.name()) + ", " + quote(String.join("; ", gone)));
                }
            }
        }
        for (Zone zone : change.addZones()) {
            lines.add(zoneCreate(zone));
            if (!cfgExists && cfgMembers.isEmpty()) {
                lines.add("cfgcreate " + quote(change.config()) + ", " + quote(zone.name()));
                cfgExists = true;
            } else {
                lines.add("cfgadd " + quote(change.config()) + ", " + quote(zone.name()));
            }
            cfgMembers.add(zone.name());
        }
        for (String alias : change.removeAliases()) {
            lines.add("alidelete " + quote(alias));
        }
        lines.add("# cfgenable also saves the defined configuration; answer y when it asks to confirm");
        lines.add("cfgenable " + quote(change.config()));
        return lines;
    }

    /** Zoning names and WWNs hold no quotes or spaces; the quotes keep {@code ;}-separated lists one argument. */
    private static String quote(String text) {
        return "\"" + text + "\"";
    }

    private static String zoneCreate(Zone zone) {
        if (zone.peer()) {
            return "zonecreate --peerzone " + quote(zone.name()) + " -principal " + quote(String.join("; ",
                    zone.principals())) + " -members " + quote(String.join("; ", zone.members()));
        }
        return "zonecreate " + quote(zone.name()) + ", " + quote(String.join("; ", zone.members()));
    }

    /**
     * The edits in dependency order: zones leave the cfg before they are deleted, aliases exist before the zones
     * that name them, and are deleted after the zones that named them changed.
     */
    List<Step> steps(ZoningChange change) {
        List<Step> steps = new ArrayList<>();
        List<String> leavingCfg = new ArrayList<>(change.removeZones());
        if (!leavingCfg.isEmpty()) {
            steps.add(cfgStep("DELETE", change.config(), leavingCfg));
        }
        batches(change.removeZones()).forEach(batch -> steps.add(definedStep("DELETE", "zone", batch.stream()
                .map(name -> object("zone-name", name)).toList())));
        batches(change.addAliases()).forEach(batch -> steps.add(definedStep("POST", "alias", batch.stream()
                .map(BrocadeFosRestDriver::aliasNode).toList())));
        batches(change.addZones()).forEach(batch -> steps.add(definedStep("POST", "zone", batch.stream()
                .map(BrocadeFosRestDriver::zoneNode).toList())));
        batches(change.replaceZones()).forEach(batch -> steps.add(definedStep("PATCH", "zone", batch.stream()
                .map(BrocadeFosRestDriver::zoneNode).toList())));
        List<String> joiningCfg = change.addZones().stream().map(Zone::name).toList();
        for (List<String> batch : batches(joiningCfg)) {
            steps.add(cfgStep("POST", change.config(), batch));
        }
        // last: an alias can only go once no zone names it any more
        batches(change.removeAliases()).forEach(batch -> steps.add(definedStep("DELETE", "alias", batch.stream()
                .map(name -> object("alias-name", name)).toList())));
        return steps;
    }

    private Step enableStep(String config, String checksum) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode effective = body.putObject("effective-configuration");
        effective.put("cfg-name", config);
        effective.put("checksum", checksum);
        return new Step("PATCH", path(ZONE + "effective-configuration"), body.toString());
    }

    private Step cfgStep(String method, String config, List<String> zones) {
        ObjectNode cfg = object("cfg-name", config);
        ArrayNode names = cfg.putObject("member-zone").putArray("zone-name");
        zones.forEach(names::add);
        return definedStep(method, "cfg", List.of(cfg));
    }

    private Step definedStep(String method, String kind, List<ObjectNode> objects) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putObject("defined-configuration").putArray(kind);
        objects.forEach(list::add);
        return new Step(method, path(ZONE + "defined-configuration"), body.toString());
    }

    private static ObjectNode aliasNode(Alias alias) {
        ObjectNode node = object("alias-name", alias.name());
        ArrayNode members = node.putObject("member-entry").putArray("alias-entry-name");
        alias.wwns().forEach(members::add);
        return node;
    }

    private static ObjectNode zoneNode(Zone zone) {
        ObjectNode node = object("zone-name", zone.name());
        node.put("zone-type", zone.peer() ? 1 : 0);
        ObjectNode entry = node.putObject("member-entry");
        ArrayNode members = entry.putArray("entry-name");
        zone.members().forEach(members::add);
        if (zone.peer()) {
            ArrayNode principals = entry.putArray("principal-entry-name");
            zone.principals().forEach(principals::add);
        }
        return node;
    }

    private static ObjectNode object(String key, String value) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put(key, value);
        return node;
    }

    private static <T> List<List<T>> batches(List<T> items) {
        List<List<T>> batches = new ArrayList<>();
        for (int i = 0; i < items.size(); i += BATCH) {
            batches.add(items.subList(i, Math.min(items.size(), i + BATCH)));
        }
        return batches;
    }

    private String path(String path) {
        return BrocadeSession.path(endpoint.virtualFabricId(), path);
    }

    static ZoningDatabase parse(JsonNode effective, JsonNode defined) {
        Map<String, Alias> aliases = new TreeMap<>();
        for (JsonNode alias : Json.items(defined.get("alias"))) {
            String name = alias.path("alias-name").asString();
            aliases.put(name, new Alias(name, lower(Json.strings(alias.path("member-entry").get("alias-entry-name")))));
        }
        Map<String, Zone> zones = new TreeMap<>();
        for (JsonNode zone : Json.items(defined.get("zone"))) {
            zones.put(zone.path("zone-name").asString(), zone(zone));
        }
        Map<String, List<String>> cfgs = new TreeMap<>();
        for (JsonNode cfg : Json.items(defined.get("cfg"))) {
            cfgs.put(cfg.path("cfg-name").asString(), Json.strings(cfg.path("member-zone").get("zone-name")));
        }
        Map<String, Zone> active = new TreeMap<>();
        for (JsonNode zone : Json.items(effective.get("enabled-zone"))) {
            active.put(zone.path("zone-name").asString(), zone(zone));
        }
        ZoningDatabase db = new ZoningDatabase(Json.text(effective, "checksum"), Json.text(effective, "cfg-name"),
                new TreeMap<>(cfgs), new TreeMap<>(zones), new TreeMap<>(aliases), new TreeMap<>(active));
        // the zone database's use: committed bytes of db-max (read-only counters of the effective configuration)
        JsonNode committed = effective.get("db-committed");
        JsonNode max = effective.get("db-max");
        return committed != null && max != null && max.asLong(0) > 0
                ? db.withCapacity(new ZoningDatabase.Capacity(committed.asLong(), max.asLong())) : db;
    }

    /**
     * A zone as read; a target-created peer zone is marked ({@code zone-type-string} on FOS 9.0+, the numeric
     * {@code zone-type} 2 before).
     */
    private static Zone zone(JsonNode zone) {
        JsonNode entry = zone.path("member-entry");
        String typeString = Json.text(zone, "zone-type-string");
        boolean targetCreated = typeString != null ? typeString.equals("target-created-peer-zone")
                : zone.path("zone-type").asInt(0) == 2;
        return new Zone(zone.path("zone-name").asString(), lower(Json.strings(entry.get("entry-name"))),
                lower(Json.strings(entry.get("principal-entry-name"))), targetCreated);
    }

    /** WWNs come back lower case; alias names keep their case. */
    private static List<String> lower(List<String> members) {
        return members.stream().map(m -> m.matches("(?i)^[0-9a-f]{2}(:[0-9a-f]{2}){7}$") ? m.toLowerCase() : m)
                .toList();
    }

    private BrocadeSession login() {
        return BrocadeSession.login(endpoint, client, maxRetries, retryDelay);
    }
}
