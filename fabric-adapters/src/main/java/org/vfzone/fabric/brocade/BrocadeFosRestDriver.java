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
import org.vfzone.fabric.PortHealthReading;
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
            JsonNode effective = session.get(session.zone("effective-configuration")).path("effective-configuration");
            JsonNode defined = session.get(session.zone("defined-configuration")).path("defined-configuration");
            return parse(effective, defined, session.dialect()).withProtocol("Fabric OS "
                    + (session.firmware() == null ? "(version not reported)" : session.firmware()) + ": FOS REST, "
                    + session.dialect().describe());
        } finally {
            session.logout();
        }
    }

    /**
     * The firmware version read at sign-in ({@code fibrechannel-switch}, which also decides the dialect), then the
     * same container with {@code ?vf-id=} when zoning is scoped to a virtual fabric: refused there when that logical
     * switch does not exist.
     */
    @Override
    public SwitchIdentity identify() {
        BrocadeSession session = login();
        try {
            String firmware = session.firmware();
            String protocol = "FOS REST, " + session.dialect().describe();
            if (endpoint.virtualFabricId() == null) {
                return new SwitchIdentity(firmware, "the default logical switch", true,
                        Json.text(session.chassis(), "user-friendly-name", "name"), protocol);
            }
            String partition = "virtual fabric " + endpoint.virtualFabricId();
            String container = session.dialect() == FosDialect.ZONING_XML ? BrocadeSession.OLD_SWITCH
                    : BrocadeSession.SWITCH;
            HttpConversation.Response scoped = session.send("GET", path(container), null);
            if (scoped.status() != 200 || !session.dialect().speaks(scoped)) {
                return new SwitchIdentity(firmware, partition, false, BrocadeSession.errorMessage(scoped), protocol);
            }
            JsonNode logical = Json.items(FosDialect.decode(scoped).path("Response")
                    .get("fibrechannel-switch")).stream().findFirst().orElse(Json.MAPPER.createObjectNode());
            return new SwitchIdentity(firmware, partition, true,
                    Json.text(logical, "user-friendly-name", "name"), protocol);
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
            HttpConversation.Response response = session.send("GET", session.zone("fabric-lock"), null);
            if (response.status() != 200 || !session.dialect().speaks(response)) {
                return "";
            }
            JsonNode lock = FosDialect.decode(response).path("Response").path("fabric-lock");
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

    /**
     * Three reads in one session: the name server (who is logged in, through which F_Port: {@code fabric-port-name}),
     * {@code brocade-interface/fibrechannel} (each port's {@code name}, {@code wwn}, {@code default-index} and
     * {@code operational-status}, 2 meaning online) and {@code brocade-interface/fibrechannel-statistics} (the
     * counters, keyed by {@code name}). A login is placed on the port whose WWN is its {@code fabric-port-name}, or
     * else whose {@code default-index} is its {@code port-index}.
     */
    @Override
    public PortHealthReading readPortHealth() {
        BrocadeSession session = login();
        try {
            List<JsonNode> names = listOrNone(session, "/rest/running/brocade-name-server/fibrechannel-name-server",
                    "fibrechannel-name-server");
            List<JsonNode> interfaces = listOrNone(session, "/rest/running/brocade-interface/fibrechannel",
                    "fibrechannel");
            List<JsonNode> statistics = listOrNone(session, "/rest/running/brocade-interface/fibrechannel-statistics",
                    "fibrechannel-statistics");
            Map<String, String> portByWwn = new TreeMap<>();
            Map<String, String> portByIndex = new TreeMap<>();
            Map<String, Boolean> online = new TreeMap<>();
            for (JsonNode port : interfaces) {
                String name = Json.text(port, "name");
                if (name == null) {
                    continue;
                }
                String wwn = Json.text(port, "wwn");
                if (wwn != null) {
                    portByWwn.put(wwn.toLowerCase(), name);
                }
                String index = Json.text(port, "default-index");
                if (index != null) {
                    portByIndex.put(index, name);
                }
                online.put(name, "2".equals(Json.text(port, "operational-status")));
            }
            List<PortHealthReading.PortCounters> ports = new ArrayList<>();
            for (JsonNode stats : statistics) {
                String name = Json.text(stats, "name");
                if (name == null) {
                    continue;
                }
                ports.add(new PortHealthReading.PortCounters(name, online.getOrDefault(name, true),
                        Json.counter(stats, "bb-credit-zero"), null, Json.counter(stats, "class3-out-discards"),
                        Json.counter(stats, "frames-timed-out"), null,
                        PortHealthReading.total(Json.counter(stats, "crc-errors"),
                                Json.counter(stats, "link-failures"), Json.counter(stats, "loss-of-sync"),
                                Json.counter(stats, "loss-of-signal"),
                                Json.counter(stats, "invalid-transmission-words")),
                        Json.counter(stats, "out-octets"), Json.counter(stats, "in-octets")));
            }
            List<PortHealthReading.PortLogin> logins = new ArrayList<>();
            for (JsonNode entry : names) {
                String fabricPort = Json.text(entry, "fabric-port-name");
                String port = fabricPort == null ? null : portByWwn.get(fabricPort.toLowerCase());
                if (port == null) {
                    port = portByIndex.get(String.valueOf(Json.text(entry, "port-index")));
                }
                String wwpn = Json.text(entry, "port-name");
                if (port != null && wwpn != null) {
                    logins.add(new PortHealthReading.PortLogin(port, wwpn.toLowerCase(), Json.text(entry, "port-id")));
                }
            }
            return new PortHealthReading(ports, logins, devices(session, names));
        } finally {
            session.logout();
        }
    }

    /**
     * The switch's own view of each device: FOS 9.0 and later keep per N_Port congestion states and the FPINs sent
     * ({@code brocade-fabric-traffic-controller/fabric-traffic-controller-device}; older releases have no such
     * container and answer 404), and the name server flags a slow-drain device the switch quarantined.
     */
    private List<PortHealthReading.DeviceState> devices(BrocadeSession session, List<JsonNode> names) {
        Map<String, PortHealthReading.DeviceState> devices = new TreeMap<>();
        for (JsonNode entry : names) {
            String wwpn = Json.text(entry, "port-name");
            if (wwpn != null && "yes".equalsIgnoreCase(Json.text(entry, "slow-drain-device-quarantine"))) {
                devices.put(wwpn.toLowerCase(), new PortHealthReading.DeviceState(wwpn.toLowerCase(), List.of(), true,
                        null, null, null, null));
            }
        }
        HttpConversation.Response response = session.send("GET",
                path("/rest/running/brocade-fabric-traffic-controller/fabric-traffic-controller-device"), null);
        if (response.status() == 200 && session.dialect().speaks(response)) {
            for (JsonNode device : Json.items(FosDialect.decode(response).path("Response")
                    .get("fabric-traffic-controller-device"))) {
                String wwpn = Json.text(device, "n-port-wwn");
                if (wwpn == null) {
                    continue;
                }
                JsonNode sent = device.path("fpin-send-statistics");
                PortHealthReading.DeviceState before = devices.get(wwpn.toLowerCase());
                devices.put(wwpn.toLowerCase(), new PortHealthReading.DeviceState(wwpn.toLowerCase(),
                        states(device.get("congestion-states")), before != null && before.quarantined(),
                        Json.counter(sent, "congestion-count"), Json.counter(sent, "peer-congestion-count"),
                        Json.counter(sent, "link-integrity-count"), Json.counter(sent, "delivery-count")));
            }
        }
        return List.copyOf(devices.values());
    }

    /**
     * {@code congestion-states} as a leaf-list of state names, or as a container of flags ({@code credit-stalled:
     * true}); either way, the states that hold (vfzone's reading: the public YANG names the states, not the shape).
     */
    private static List<String> states(JsonNode node) {
        List<String> states = new ArrayList<>();
        for (JsonNode item : Json.items(node)) {
            if (item.isObject()) {
                for (var property : item.properties()) {
                    JsonNode value = property.getValue();
                    if (value.isArray() || (value.isString() && !value.asString().matches("(?i)true|false|yes|no"))) {
                        Json.strings(value).forEach(states::add);
                    } else if (value.asString().matches("(?i)true|yes") || value.asBoolean(false)) {
                        states.add(property.getKey());
                    }
                }
            } else if (!item.asString().isBlank()) {
                states.add(item.asString());
            }
        }
        return states;
    }

    /** A list container of the logical switch; "No entries found" (404) is an empty list. */
    private List<JsonNode> listOrNone(BrocadeSession session, String container, String list) {
        HttpConversation.Response response = session.send("GET", path(container), null);
        if (response.status() == 404 && session.dialect().speaks(response)
                && BrocadeSession.errorMessage(response).contains("No entries found")) {
            return List.of();
        }
        if (response.status() != 200 || !session.dialect().speaks(response)) {
            throw session.failure("GET " + container, response);
        }
        return Json.items(FosDialect.decode(response).path("Response").get(list));
    }



    @Override
    public List<Login> readLogins() {
        BrocadeSession session = login();
        try {
            HttpConversation.Response response = session.send("GET",
                    path("/rest/running/brocade-name-server/fibrechannel-name-server"), null);
            if (response.status() == 404 && session.dialect().speaks(response)
                    && BrocadeSession.errorMessage(response).contains("No entries found")) {
                return List.of();
            }
            if (response.status() != 200 || !session.dialect().speaks(response)) {
                throw session.failure("GET name server", response);
            }
            List<Login> logins = new ArrayList<>();
            for (JsonNode entry : Json.items(FosDialect.decode(response).path("Response")
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
        FosDialect dialect = FosDialect.ofToken(change.expectedStateToken());
        String checksum = FosDialect.checksumOf(change.expectedStateToken());
        List<String> lines = new ArrayList<>();
        lines.add("POST /rest/login");
        lines.add("GET " + BrocadeSession.SWITCH + "   (firmware-version must still mean " + dialect.describe() + ")");
        lines.add("GET " + path(dialect.zonePath() + "effective-configuration") + "   (checksum must be "
                + checksum + ")");
        steps(change, dialect).forEach(step -> lines.add(step.toString()));
        lines.add(enableStep(change.config(), checksum, dialect).toString());
        lines.add("POST /rest/logout");
        return lines;
    }

    @Override
    public PushReport push(ZoningChange change) {
        BrocadeSession session = login();
        try {
            return push(change, session);
        } finally {
            session.logout(); // done already, unless something unforeseen was thrown
        }
    }

    private PushReport push(ZoningChange change, BrocadeSession session) {
        boolean wrote = false;
        try {
            FosDialect planned = FosDialect.ofToken(change.expectedStateToken());
            if (planned != session.dialect()) {
                throw new FabricException(Kind.STALE, "The switch's firmware changed since the plan (planned for "
                        + planned.describe() + ", it now runs " + session.firmware() + ": "
                        + session.dialect().describe() + "); plan again");
            }
            JsonNode effective = session.get(session.zone("effective-configuration")).path("effective-configuration");
            String checksum = Json.text(effective, "checksum");
            String plannedChecksum = FosDialect.checksumOf(change.expectedStateToken());
            if (!plannedChecksum.equals(checksum)) {
                throw new FabricException(Kind.STALE, "The fabric's zoning changed since the plan (checksum "
                        + plannedChecksum + " planned, " + checksum + " now); plan again");
            }
            if (effective.path("transaction-token").asInt(0) != 0) {
                throw new FabricException(Kind.BUSY, "Another administrator has an open zoning transaction on this "
                        + "fabric" + lockHolder(session) + "; nothing was written. Retry when it is committed or "
                        + "aborted");
            }
            for (Step step : steps(change, session.dialect())) {
                wrote = true;
                session.expect(step, step.method().equals("POST") ? 201 : 204);
            }
            wrote = true;
            session.expect(enableStep(change.config(), checksum, session.dialect()), 204);
            session.logout();
            return new PushReport(session.http().requests(), session.http().log());
        } catch (FabricException e) {
            // Another session owns the zone transaction: ours is not open (never opened, or cancelled by another
            // client), and an abort now would cancel that session's work, not ours.
            boolean othersTransaction = e.kind() == Kind.BUSY && e.getMessage().contains("not the owner");
            boolean closed = !wrote || othersTransaction || session.abort();
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
    List<Step> steps(ZoningChange change, FosDialect dialect) {
        List<Step> steps = new ArrayList<>();
        List<String> leavingCfg = new ArrayList<>(change.removeZones());
        if (!leavingCfg.isEmpty()) {
            steps.add(cfgStep("DELETE", change.config(), leavingCfg, dialect));
        }
        batches(change.removeZones()).forEach(batch -> steps.add(definedStep("DELETE", "zone", batch.stream()
                .map(name -> object("zone-name", name)).toList(), dialect)));
        batches(change.addAliases()).forEach(batch -> steps.add(definedStep("POST", "alias", batch.stream()
                .map(BrocadeFosRestDriver::aliasNode).toList(), dialect)));
        batches(change.addZones()).forEach(batch -> steps.add(definedStep("POST", "zone", batch.stream()
                .map(BrocadeFosRestDriver::zoneNode).toList(), dialect)));
        batches(change.replaceZones()).forEach(batch -> steps.add(definedStep("PATCH", "zone", batch.stream()
                .map(BrocadeFosRestDriver::zoneNode).toList(), dialect)));
        List<String> joiningCfg = change.addZones().stream().map(Zone::name).toList();
        for (List<String> batch : batches(joiningCfg)) {
            steps.add(cfgStep("POST", change.config(), batch, dialect));
        }
        // last: an alias can only go once no zone names it any more
        batches(change.removeAliases()).forEach(batch -> steps.add(definedStep("DELETE", "alias", batch.stream()
                .map(name -> object("alias-name", name)).toList(), dialect)));
        return steps;
    }

    private Step enableStep(String config, String checksum, FosDialect dialect) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode effective = body.putObject("effective-configuration");
        effective.put("cfg-name", config);
        effective.put("checksum", checksum);
        return new Step("PATCH", path(dialect.zonePath() + "effective-configuration"), dialect.encode(body));
    }

    private Step cfgStep(String method, String config, List<String> zones, FosDialect dialect) {
        ObjectNode cfg = object("cfg-name", config);
        ArrayNode names = cfg.putObject("member-zone").putArray("zone-name");
        zones.forEach(names::add);
        return definedStep(method, "cfg", List.of(cfg), dialect);
    }

    private Step definedStep(String method, String kind, List<ObjectNode> objects, FosDialect dialect) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putObject("defined-configuration").putArray(kind);
        objects.forEach(list::add);
        return new Step(method, path(dialect.zonePath() + "defined-configuration"), dialect.encode(body));
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

    static ZoningDatabase parse(JsonNode effective, JsonNode defined, FosDialect dialect) {
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
        ZoningDatabase db = new ZoningDatabase(dialect.token(Json.text(effective, "checksum")),
                Json.text(effective, "cfg-name"),
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
