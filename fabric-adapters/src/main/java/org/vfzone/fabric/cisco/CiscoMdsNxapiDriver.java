package org.vfzone.fabric.cisco;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

/**
 * Cisco MDS NX-API driver (JSON-RPC 2.0 {@code cli} calls to {@code /ins}, HTTP Basic). Device-aliases the zones
 * need are committed in a device-alias session before the zone session (and removed again if it fails); unused
 * ones are removed after it. In enhanced zoning mode a
 * push is one zone session: the first change takes the fabric-wide lock, {@code zone commit vsan N} applies the
 * edits and the activation at once, and any failure sends {@code no zone commit vsan N} (abort). A lock held by
 * someone else is reported as busy before anything is sent. MDS has no checksum, so the state token is a digest
 * of the full and active zone database as read.
 */
public class CiscoMdsNxapiDriver implements FabricDriver {

    static final int COMMANDS_PER_REQUEST = 200;
    private static final int COMMIT_POLLS = 20;

    private final FabricEndpoint endpoint;
    private final NxapiClient nxapi;
    private final int vsan;
    private final Duration pollDelay;

    public CiscoMdsNxapiDriver(FabricEndpoint endpoint) {
        this(endpoint, Duration.ofMillis(500));
    }

    /** Over a shared HTTP client (one per application and trust setting; see {@link FabricEndpoint#newClient()}). */
    public CiscoMdsNxapiDriver(FabricEndpoint endpoint, HttpClient client) {
        this(endpoint, client, Duration.ofMillis(500));
    }

    public CiscoMdsNxapiDriver(FabricEndpoint endpoint, Duration pollDelay) {
        this(endpoint, endpoint.newClient(), pollDelay);
    }

    CiscoMdsNxapiDriver(FabricEndpoint endpoint, HttpClient client, Duration pollDelay) {
        this.endpoint = endpoint;
        this.nxapi = new NxapiClient(endpoint, client);
        this.vsan = endpoint.virtualFabricId() == null ? 1 : endpoint.virtualFabricId();
        this.pollDelay = pollDelay;
    }

    /** How an fcalias appears among zone members and aliases: the prefix no device-alias name can have. */
    public static final String FCALIAS = "fcalias:";

    /** Aliases are MDS device-aliases: one name per pWWN, fabric-wide, with a session and commit of their own. */
    @Override
    public boolean supportsAliases() {
        return true;
    }

    /** Aborts an enhanced-zoning session still held by vfzone's user: the lock belongs to the user, not a connection. */
    @Override
    public void releaseAbandonedSession() {
        HttpConversation http = nxapi.conversation();
        if (endpoint.username().equalsIgnoreCase(snapshot(http).session())) {
            abort(http);
        }
    }

    /** A read with the zone status that came with it. */
    record Snapshot(ZoningDatabase db, JsonNode status) {
        boolean enhanced() {
            return db.sessionCommit();
        }

        String session() {
            return status.path("session").asString("none");
        }
    }

    @Override
    public ZoningDatabase read() {
        return snapshot(nxapi.conversation()).db();
    }

    /** {@code show version} for {@code sys_ver_str}, then {@code show vsan N}, which fails for a VSAN not configured. */
    @Override
    public SwitchIdentity identify() {
        HttpConversation http = nxapi.conversation();
        JsonNode version = nxapi.cli(http, List.of("show version")).get(0).path("body");
        String firmware = Json.text(version, "sys_ver_str", "kickstart_ver_str");
        String partition = "VSAN " + vsan;
        try {
            JsonNode row = Json.items(nxapi.cli(http, List.of("show vsan " + vsan)).get(0).path("body")
                    .path("TABLE_vsan").get("ROW_vsan")).stream().findFirst().orElse(null);
            if (row == null) {
                return new SwitchIdentity(firmware, partition, false, "the switch lists no such VSAN");
            }
            List<JsonNode> modes = nxapi.cli(http, List.of(statusCommand(), "show device-alias status"));
            String zoneMode = status(modes.get(0)).path("mode").asString("unknown").toLowerCase(Locale.ROOT);
            return new SwitchIdentity(firmware, partition, true, Json.text(row, "vsan_name")
                    + (Json.text(row, "state") == null ? "" : ", " + Json.text(row, "state")) + "; zoning "
                    + zoneMode + " mode, device-aliases " + deviceAliasMode(modes.get(1)) + " mode");
        } catch (FabricException e) {
            if (e.kind() != FabricException.Kind.REJECTED) {
                throw e;
            }
            return new SwitchIdentity(firmware, partition, false, e.getMessage());
        }
    }

    /** {@code show fcns database detail vsan N}; a VSAN with no devices answers without the table. */
    @Override
    public List<Login> readLogins() {
        HttpConversation http = nxapi.conversation();
        JsonNode body = nxapi.cli(http, List.of("show fcns database detail vsan " + vsan)).get(0).path("body");
        List<Login> logins = new ArrayList<>();
        for (JsonNode vsanRow : Json.items(body.path("TABLE_fcns_vsan").get("ROW_fcns_vsan"))) {
            for (JsonNode row : Json.items(vsanRow.path("TABLE_fcns_database").get("ROW_fcns_database"))) {
                String wwpn = Json.text(row, "pwwn", "port_name");
                if (wwpn == null) {
                    continue;
                }
                String node = Json.text(row, "node_name", "nwwn");
                logins.add(new Login(wwpn.toLowerCase(), node == null ? null : node.toLowerCase(),
                        Json.text(row, "fcid"), Json.text(row, "connected_interface", "interface"),
                        Json.text(row, "symbolic_port_name", "port_symbolic_name"),
                        Json.text(row, "fc4_types_fc4_features", "fc4_types")));
            }
        }
        return logins;
    }

    /**
     * One request: the VSAN's name server ({@code connected_interface} says which port each device logged in
     * through) and {@code show interface counters detailed}, read in both of its forms: flat keys before NX-OS 8.4(2)
     * ({@code txwait}, {@code credit_loss}, {@code timeout_discards}, {@code b2b_credits_transmit}, link errors and
     * {@code TABLE_frames} bytes), nested {@code TABLE_congestion}, {@code TABLE_link} and {@code TABLE_total(s)} from
     * 8.4(2). Only ports that carry a login of this VSAN are the fabric's: the counters cover the whole switch.
     */
    @Override
    public PortHealthReading readPortHealth() {
        HttpConversation http = nxapi.conversation();
        List<JsonNode> results = nxapi.cli(http, List.of("show fcns database detail vsan " + vsan,
                "show interface counters detailed"));
        List<PortHealthReading.PortLogin> logins = new ArrayList<>();
        JsonNode names = results.get(0).path("body");
        for (JsonNode vsanRow : Json.items(names.path("TABLE_fcns_vsan").get("ROW_fcns_vsan"))) {
            for (JsonNode row : Json.items(vsanRow.path("TABLE_fcns_database").get("ROW_fcns_database"))) {
                String wwpn = Json.text(row, "pwwn", "port_name");
                String port = Json.text(row, "connected_interface", "interface");
                if (wwpn != null && port != null) {
                    logins.add(new PortHealthReading.PortLogin(port, wwpn.toLowerCase(), Json.text(row, "fcid")));
                }
            }
        }
        Set<String> fabricPorts = new HashSet<>();
        logins.forEach(login -> fabricPorts.add(login.port()));
        List<PortHealthReading.PortCounters> ports = new ArrayList<>();
        for (JsonNode table : Json.items(results.get(1).path("body").get("TABLE_counters"))) {
            for (JsonNode row : Json.items(table.get("ROW_counters"))) {
                String port = Json.text(row, "interface", "interface_sfp");
                if (port != null && fabricPorts.contains(port)) {
                    ports.add(counters(port, row));
                }
            }
        }
        return new PortHealthReading(ports, logins);
    }

    /** One row of {@code show interface counters detailed}, in either key form. */
    static PortHealthReading.PortCounters counters(String port, JsonNode row) {
        if (row.has("TABLE_congestion") || row.has("TABLE_total") || row.has("TABLE_totals")) {
            JsonNode congestion = first(row.get("TABLE_congestion"), "ROW_congestion");
            JsonNode link = first(row.get("TABLE_link"), "ROW_link");
            JsonNode totals = first(row.has("TABLE_totals") ? row.get("TABLE_totals") : row.get("TABLE_total"),
                    row.has("TABLE_totals") ? "ROW_totals" : "ROW_total");
            return new PortHealthReading.PortCounters(port, true,
                    Json.counter(congestion, "tx_b2b_credit_to_zero", "tx_b2b_credits"),
                    Json.counter(congestion, "txwait"),
                    Json.counter(congestion, "tx_timeout_discards", "timeout_discards"), null,
                    Json.counter(congestion, "tx_credit_loss", "credit_loss"),
                    PortHealthReading.total(Json.counter(link, "rx_inv_crc", "inv_crc"),
                            Json.counter(link, "rx_link_failures", "link_failures"),
                            Json.counter(link, "rx_sync_loss", "sync_loss"),
                            Json.counter(link, "rx_signal_loss", "signal_loss"),
                            Json.counter(link, "rx_inv_trans_err", "inv_trans_err")),
                    Json.counter(totals, "tx_total_bytes", "tx_bytes"),
                    Json.counter(totals, "rx_total_bytes", "rx_bytes"));
        }
        JsonNode frames = first(row.get("TABLE_frames"), "ROW_frames");
        return new PortHealthReading.PortCounters(port, true, Json.counter(row, "b2b_credits_transmit"),
                Json.counter(row, "txwait"), Json.counter(row, "timeout_discards"), null,
                Json.counter(row, "credit_loss"),
                // NX-OS spells it link_faliures in this form
                PortHealthReading.total(Json.counter(row, "inv_crc"),
                        Json.counter(row, "link_faliures", "link_failures"), Json.counter(row, "sync_loss"),
                        Json.counter(row, "signal_loss"), Json.counter(row, "inv_trans_err")),
                Json.counter(frames, "bytes_tran"), Json.counter(frames, "bytes_rcv"));
    }

    /** The first row of a {@code TABLE_x}, or an empty object. */
    private static JsonNode first(JsonNode table, String rowKey) {
        if (table == null) {
            return Json.MAPPER.createObjectNode();
        }
        return Json.items(table).stream().flatMap(t -> Json.items(t.get(rowKey)).stream()).findFirst()
                .orElse(Json.MAPPER.createObjectNode());
    }



    /** The SAN Analytics view of per initiator–target flows, as seen from the initiators' side. */
    static final String FLOW_QUERY = "show analytics query \"select all from fc-scsi.scsi_initiator_it_flow\"";

    /**
     * SAN Analytics' initiator–target flows with their totals, FCIDs resolved through the VSAN's name server read in
     * the same request (so an FCID given to another device after a re-login is resolved as it was when the flows
     * were read). The name server rather than {@code show flogi database}: it lists the devices of the whole VSAN,
     * also those logged in at other switches, whose flows a port of this switch may carry. A flow reported at
     * several ports (analytics on both the initiator's and the target's port) counts once: the port with the most
     * IOs. A switch that refuses the query (analytics not enabled, no licence, a platform without it) has no flows.
     */
    @Override
    public FlowReading readFlows() {
        HttpConversation http = nxapi.conversation();
        // the name server first: NX-API stops at the first command that fails, and the query may
        List<JsonNode> results = nxapi.call(http, List.of("show fcns database detail vsan " + vsan, FLOW_QUERY));
        if (results.get(0).has("__error")) {
            throw NxapiClient.error(results.get(0).path("__error").asString(), http);
        }
        if (results.get(1).has("__error")) {
            return FlowReading.unavailable("SAN Analytics answered: " + results.get(1).path("__error").asString());
        }
        Map<String, String> wwpnByFcid = new HashMap<>();
        for (JsonNode vsanRow : Json.items(results.get(0).path("body").path("TABLE_fcns_vsan").get("ROW_fcns_vsan"))) {
            for (JsonNode row : Json.items(vsanRow.path("TABLE_fcns_database").get("ROW_fcns_database"))) {
                String wwpn = Json.text(row, "pwwn", "port_name");
                String fcid = Json.text(row, "fcid");
                if (wwpn != null && fcid != null) {
                    wwpnByFcid.put(fcidKey(fcid), wwpn.toLowerCase(Locale.ROOT));
                }
            }
        }
        JsonNode body = results.get(1).path("body");
        if (body.isString()) {
            // some releases hand the query's JSON back as text
            body = Json.MAPPER.readTree(body.asString());
        }
        Map<String, FlowReading.FlowCounters> flows = new LinkedHashMap<>();
        int unresolved = 0;
        for (JsonNode row : body.path("values").values()) {
            int rowVsan = (int) number(row, "vsan");
            if (rowVsan != vsan) {
                continue;
            }
            String initiator = wwpnByFcid.get(fcidKey(Json.text(row, "initiator_id")));
            String target = wwpnByFcid.get(fcidKey(Json.text(row, "target_id")));
            if (initiator == null || target == null) {
                unresolved++;
                continue;
            }
            FlowReading.FlowCounters flow = new FlowReading.FlowCounters(initiator, target, rowVsan,
                    Json.text(row, "port"), number(row, "total_read_io_count"), number(row, "total_write_io_count"),
                    number(row, "total_read_io_bytes"), number(row, "total_write_io_bytes"));
            flows.merge(initiator + ">" + target, flow, (a, b) ->
                    a.readIos() + a.writeIos() >= b.readIos() + b.writeIos() ? a : b);
        }
        return new FlowReading(true, null, new ArrayList<>(flows.values()), unresolved);
    }

    /** An FCID as a map key: {@code 0x320074}, {@code 0X320074} and {@code 320074} are one address. */
    private static String fcidKey(String fcid) {
        if (fcid == null) {
            return "";
        }
        String hex = fcid.strip().toLowerCase(Locale.ROOT);
        hex = hex.startsWith("0x") ? hex.substring(2) : hex;
        try {
            return Integer.toHexString(Integer.parseInt(hex, 16));
        } catch (NumberFormatException e) {
            return hex;
        }
    }

    /** A numeric field the switch may send as a number or as a string; absent is 0. */
    private static long number(JsonNode row, String field) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (value.isNumber()) {
            return value.asLong();
        }
        try {
            return Long.parseLong(value.asString().strip());
        } catch (NumberFormatException e) {
            throw new FabricException(Kind.PROTOCOL, "SAN Analytics sent " + field + " = '" + value.asString()
                    + "', not a number");
        }
    }

    /** What a push sends after its read, request by request, for the fabric as read in {@code current}. */
    List<List<String>> pushRequests(ZoningChange change, ZoningDatabase current) {
        List<List<String>> requests = new ArrayList<>();
        if (!addAliasCommands(change).isEmpty()) {
            requests.add(deviceAliasRequest(addAliasCommands(change)));
        }
        requests.addAll(zoneRequests(change, current));
        if (current.sessionCommit()) {
            requests.add(List.of(commitCommand()));
        }
        if (!removeAliasCommands(change).isEmpty()) {
            requests.add(deviceAliasRequest(removeAliasCommands(change)));
        }
        return requests;
    }

    private List<List<String>> zoneRequests(ZoningChange change, ZoningDatabase current) {
        return requests(groups(change, current));
    }

    private String commitCommand() {
        return "zone commit vsan " + vsan;
    }

    private String statusCommand() {
        return "show zone status vsan " + vsan;
    }

    private List<String> readCommands() {
        return List.of(statusCommand(), "show zoneset vsan " + vsan, "show zone vsan " + vsan,
                "show device-alias database", "show fcalias vsan " + vsan, "show device-alias status",
                "show zoneset active vsan " + vsan);
    }

    @Override
    public List<String> preview(ZoningChange change, ZoningDatabase live) {
        List<String> lines = new ArrayList<>();
        lines.add("POST /ins  (JSON-RPC cli) " + String.join(" ; ", readCommands()) + "   (zone session must be none, "
                + "state " + change.expectedStateToken() + ")");
        for (List<String> request : pushRequests(change, live)) {
            lines.add("POST /ins  (JSON-RPC cli, " + request.size() + (request.size() == 1 ? " command)" : " commands)"));
            request.forEach(command -> lines.add("  " + command));
            if (request.equals(List.of(commitCommand()))) {
                lines.add("POST /ins  (JSON-RPC cli) " + statusCommand() + "   (repeated until the commit completes)");
            }
        }
        return lines;
    }

    /**
     * The push's commands in one CLI session: {@code terminal dont-ask} so activation does not stop at its
     * confirmation, each zone and zoneset edit under its own submode line, {@code zone commit} only in enhanced
     * mode, and the configuration saved at the end.
     */
    @Override
    public List<String> cliScript(ZoningChange change, ZoningDatabase live) {
        List<String> lines = new ArrayList<>();
        lines.add("terminal dont-ask");
        lines.add("configure terminal");
        pushRequests(change, live).forEach(lines::addAll);
        lines.add("end");
        lines.add("no terminal dont-ask");
        lines.add("copy running-config startup-config");
        return lines;
    }

    @Override
    public PushReport push(ZoningChange change) {
        HttpConversation http = nxapi.conversation();
        Snapshot before = snapshot(http);
        if (!"none".equalsIgnoreCase(before.session())) {
            throw new FabricException(Kind.BUSY, "Fabric busy: VSAN " + vsan + " has an open zoning session ("
                    + before.session() + "); nothing was written. Retry when it is committed or cleared", true,
                    http.log(), null);
        }
        if (!before.db().stateToken().equals(change.expectedStateToken())) {
            throw new FabricException(Kind.STALE, "The fabric's zoning changed since the plan; plan again", true,
                    http.log(), null);
        }
        if (!addAliasCommands(change).isEmpty()) {
            try {
                deviceAliasSession(http, deviceAliasRequest(addAliasCommands(change)));
            } catch (FabricException e) {
                // a lost answer to device-alias commit: the aliases may be committed although no zone came
                removeAddedAliasesIfPresent(http, change, before);
                throw e.after(e.transactionClosed(), http.log());
            }
        }
        try {
            zoneSession(http, change, before);
        } catch (FabricException e) {
            // a request that got no answer may still run on the switch afterwards and take the zone session for
            // vfzone's user: wait until it can no longer arrive, then release what it took
            LateRequest late = e.kind() == Kind.TIMEOUT ? settleLateRequest(http) : null;
            // always read back (which also releases a zone session still held by vfzone's user); the device-aliases
            // committed for the zones are taken back only when that read shows the zone change did not commit (a
            // lost answer to the status poll says nothing about the commit)
            Boolean committed = committedAfterFailure(http, change, before);
            if (!addAliasCommands(change).isEmpty()) {
                if (Boolean.FALSE.equals(committed)) {
                    try {
                        deviceAliasSession(http, deviceAliasRequest(deviceAliases(change.addAliases()).stream()
                                .map(alias -> "no device-alias name " + alias.name()).toList()));
                    } catch (FabricException cleanup) {
                        http.note("could not remove the device-aliases added for this change: "
                                + cleanup.getMessage());
                    }
                } else {
                    http.note("device-aliases kept: the zone change " + (committed == null
                            ? "may have committed (the fabric could not be read back)" : "committed"));
                }
            }
            FabricException failed = e.after(e.transactionClosed(), http.log());
            throw late == null ? failed : failed.withFollowUp(late.message(), late.released());
        }
        if (!removeAliasCommands(change).isEmpty()) {
            try {
                deviceAliasSession(http, deviceAliasRequest(removeAliasCommands(change)));
            } catch (FabricException e) {
                // the zones are committed; an unused alias left behind is removed by the next plan
                http.note("device-aliases no longer used were not removed: " + e.getMessage());
            }
        }
        return new PushReport(http.requests(), http.log());
    }

    /** What became of a request the switch did not answer: said in the push's message. */
    private record LateRequest(String message, boolean released) {
    }

    /**
     * After a request the switch did not answer: waits one more request timeout — the bound vfzone takes for a request
     * the switch had received but not yet run — then reads the zone session and aborts it if vfzone's user holds it.
     */
    private LateRequest settleLateRequest(HttpConversation http) {
        Duration wait = endpoint.timeout();
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        String seconds = wait.toSeconds() + " s";
        try {
            Snapshot now = snapshot(http);
            if (endpoint.username().equalsIgnoreCase(now.session())) {
                http.note("a request without an answer ran late: the zone session is held by " + endpoint.username()
                        + "; aborting it");
                boolean aborted = abort(http);
                return new LateRequest(aborted ? "A request without an answer ran on the switch late and held the "
                        + "zone session of VSAN " + vsan + " for " + endpoint.username() + "; vfzone waited " + seconds
                        + " and aborted it, so no session is left open"
                        : "A request without an answer ran on the switch late and holds the zone session of VSAN "
                        + vsan + " for " + endpoint.username() + "; aborting it failed: clear it with 'no zone commit "
                        + "vsan " + vsan + "'", aborted);
            }
            return new LateRequest("vfzone waited " + seconds + " for the request without an answer to run late: no "
                    + "zone session of VSAN " + vsan + " is held by " + endpoint.username(), true);
        } catch (FabricException unreadable) {
            return new LateRequest("After the request without an answer the fabric could not be read ("
                    + unreadable.getMessage() + "): a zone session of VSAN " + vsan + " may still be held by "
                    + endpoint.username(), false);
        }
    }

    /**
     * After a failed zone session: reads the fabric afresh (after a short pause, as the switch may still be
     * finishing) and tells whether the change committed: false when the zone database is as before, true when it
     * holds the change, null when it cannot be read or matches neither. A zone session still held by vfzone's user
     * (the lock belongs to the user, not the connection) is aborted first, so no lock outlives the push.
     */
    private Boolean committedAfterFailure(HttpConversation http, ZoningChange change, Snapshot before) {
        pause();
        Snapshot now;
        try {
            now = snapshot(http);
            if (endpoint.username().equalsIgnoreCase(now.session())) {
                http.note("the zone session is still held by " + endpoint.username() + ": aborting it");
                abort(http);
                now = snapshot(http);
            }
        } catch (FabricException e) {
            http.note("could not read the fabric back: " + e.getMessage());
            return null;
        }
        ZoningDatabase fresh = now.db();
        if (sameZoning(fresh, before.db())) {
            return false;
        }
        boolean holdsChange = change.addZones().stream().allMatch(zone -> fresh.activeZones().containsKey(zone.name()))
                && change.removeZones().stream().noneMatch(zone -> fresh.activeZones().containsKey(zone));
        return holdsChange ? Boolean.TRUE : null;
    }

    /** Removes the change's new device-aliases that a fresh read shows committed; nothing else is touched. */
    private void removeAddedAliasesIfPresent(HttpConversation http, ZoningChange change, Snapshot before) {
        try {
            pause();
            ZoningDatabase fresh = snapshot(http).db();
            List<String> committed = deviceAliases(change.addAliases()).stream()
                    .filter(alias -> !before.db().aliases().containsKey(alias.name()))
                    .filter(alias -> fresh.aliases().containsKey(alias.name())
                            && fresh.aliases().get(alias.name()).wwns().equals(alias.wwns()))
                    .map(alias -> "no device-alias name " + alias.name()).toList();
            if (!committed.isEmpty()) {
                deviceAliasSession(http, deviceAliasRequest(committed));
            }
        } catch (FabricException cleanup) {
            http.note("could not check or remove the device-aliases of this change: " + cleanup.getMessage());
        }
    }

    private static boolean sameZoning(ZoningDatabase a, ZoningDatabase b) {
        return a.zones().equals(b.zones()) && a.configs().equals(b.configs()) && a.activeZones().equals(b.activeZones())
                && Objects.equals(a.activeConfig(), b.activeConfig());
    }

    private void pause() {
        try {
            Thread.sleep(pollDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One enhanced-zoning session: edits, activation, commit; aborted on any failure while vfzone holds it. */
    private void zoneSession(HttpConversation http, ZoningChange change, Snapshot before) {
        List<List<String>> requests = zoneRequests(change, before.db());
        boolean lockHeld = false;
        try {
            for (List<String> chunk : requests) {
                try {
                    nxapi.cli(http, chunk);
                } finally {
                    // after a busy answer to our very first change, the lock is someone else's, not ours
                    lockHeld = before.enhanced();
                }
            }
            if (before.enhanced()) {
                JsonNode commit = nxapi.cli(http, List.of(commitCommand())).get(0);
                lockHeld = false;
                String msg = commit.path("msg").asString("");
                if (!msg.contains("Commit operation initiated")) {
                    throw new FabricException(Kind.REJECTED, "Unexpected answer to zone commit: " + msg, true,
                            http.log(), null);
                }
                awaitCommit(http);
            }
        } catch (FabricException e) {
            boolean closed = true;
            if (lockHeld && e.kind() != Kind.BUSY) {
                closed = abort(http);
            }
            throw e.after(closed, http.log());
        }
    }

    /** One device-alias session as one request: enter the database, the edits, commit. */
    private static List<String> deviceAliasRequest(List<String> edits) {
        List<String> all = new ArrayList<>(List.of("device-alias database"));
        all.addAll(edits);
        all.add("device-alias commit");
        return all;
    }

    /** Sends a {@link #deviceAliasRequest}; the session is cleared on failure. */
    private void deviceAliasSession(HttpConversation http, List<String> request) {
        try {
            nxapi.cli(http, request);
        } catch (FabricException e) {
            if (e.kind() != Kind.BUSY) {
                try {
                    nxapi.cli(http, List.of("device-alias database", "clear device-alias session"));
                } catch (FabricException ignored) {
                    http.note("could not clear the device-alias session: " + ignored.getMessage());
                }
            }
            throw e.after(true, http.log());
        }
    }

    /** The change's device-aliases (fabric-wide, a session of their own); fcaliases go in the zone session. */
    private static List<Alias> deviceAliases(List<Alias> aliases) {
        return aliases.stream().filter(alias -> !alias.name().startsWith(FCALIAS)).toList();
    }

    private static List<String> addAliasCommands(ZoningChange change) {
        return deviceAliases(change.addAliases()).stream()
                .map(alias -> "device-alias name " + alias.name() + " pwwn " + alias.wwns().get(0)).toList();
    }

    private static List<String> removeAliasCommands(ZoningChange change) {
        return change.removeAliases().stream().filter(alias -> !alias.startsWith(FCALIAS))
                .map(alias -> "no device-alias name " + alias).toList();
    }

    /** All commands of a change, in order. */
    List<String> commands(ZoningChange change, ZoningDatabase current) {
        return groups(change, current).stream().flatMap(List::stream).toList();
    }

    /**
     * Edits in dependency order, as groups that each start with the submode they need ({@code zone name …} or
     * {@code zoneset name …}): every NX-API request is a fresh CLI context, so a request must never begin in the
     * middle of a group. {@code current} (when known) lets a replaced zone change only what differs.
     */
    List<List<String>> groups(ZoningChange change, ZoningDatabase current) {
        List<List<String>> groups = new ArrayList<>();
        String zoneset = "zoneset name " + change.config() + " vsan " + vsan;
        // fcaliases are per VSAN and committed with the zones: made first, removed once no zone names them
        for (Alias alias : change.addAliases()) {
            if (alias.name().startsWith(FCALIAS)) {
                List<String> group = new ArrayList<>(List.of("fcalias name "
                        + alias.name().substring(FCALIAS.length()) + " vsan " + vsan));
                alias.wwns().forEach(wwn -> group.add("member pwwn " + wwn));
                groups.add(group);
            }
        }
        if (!change.removeZones().isEmpty()) {
            List<String> leave = new ArrayList<>(List.of(zoneset));
            change.removeZones().forEach(zone -> leave.add("no member " + zone));
            groups.add(leave);
            change.removeZones().forEach(zone -> groups.add(List.of("no zone name " + zone + " vsan " + vsan)));
        }
        for (Zone zone : change.replaceZones()) {
            List<String> group = new ArrayList<>(List.of("zone name " + zone.name() + " vsan " + vsan));
            List<String> wanted = memberLines(zone);
            List<String> existing = current == null || !current.zones().containsKey(zone.name()) ? List.of()
                    : memberLines(current.zones().get(zone.name()));
            existing.stream().filter(line -> !wanted.contains(line))
                    .forEach(line -> group.add("no " + line.replaceAll(" (init|target)$", "")));
            wanted.stream().filter(line -> !existing.contains(line)).forEach(group::add);
            groups.add(group);
        }
        for (Zone zone : change.addZones()) {
            List<String> group = new ArrayList<>(List.of("zone name " + zone.name() + " vsan " + vsan));
            group.addAll(memberLines(zone));
            groups.add(group);
        }
        if (!change.addZones().isEmpty()) {
            List<String> join = new ArrayList<>(List.of(zoneset));
            change.addZones().forEach(zone -> join.add("member " + zone.name()));
            groups.add(join);
        }
        change.removeAliases().stream().filter(alias -> alias.startsWith(FCALIAS)).forEach(alias -> groups.add(
                List.of("no fcalias name " + alias.substring(FCALIAS.length()) + " vsan " + vsan)));
        groups.add(List.of("zoneset activate name " + change.config() + " vsan " + vsan));
        return groups;
    }

    /** Packs groups into requests of at most {@link #COMMANDS_PER_REQUEST}; a longer group repeats its header. */
    static List<List<String>> requests(List<List<String>> groups) {
        List<List<String>> requests = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (List<String> group : groups) {
            String header = group.get(0);
            List<String> rest = group.subList(1, group.size());
            if (current.size() + group.size() > COMMANDS_PER_REQUEST && !current.isEmpty()) {
                requests.add(current);
                current = new ArrayList<>();
            }
            current.add(header);
            for (String line : rest) {
                if (current.size() >= COMMANDS_PER_REQUEST) {
                    requests.add(current);
                    current = new ArrayList<>(List.of(header));
                }
                current.add(line);
            }
        }
        if (!current.isEmpty()) {
            requests.add(current);
        }
        return requests;
    }

    private List<String> memberLines(Zone zone) {
        List<String> lines = new ArrayList<>();
        String init = endpoint.smartZoning() ? " init" : "";
        String target = endpoint.smartZoning() ? " target" : "";
        zone.members().forEach(member -> lines.add(memberLine(member) + (zone.peer() ? init : "")));
        zone.principals().forEach(member -> lines.add(memberLine(member) + target));
        return lines;
    }

    private static String memberLine(String member) {
        if (member.startsWith(FCALIAS)) {
            return "member fcalias " + member.substring(FCALIAS.length());
        }
        return member.matches("^[0-9a-f]{2}(:[0-9a-f]{2}){7}$") ? "member pwwn " + member
                : "member device-alias " + member;
    }

    private void awaitCommit(HttpConversation http) {
        for (int poll = 0; poll < COMMIT_POLLS; poll++) {
            JsonNode status = status(nxapi.cli(http, List.of(statusCommand())).get(0));
            String text = status.path("status").asString("");
            if (text.startsWith("Operation failed")) {
                throw new FabricException(Kind.REJECTED, "The switch reports: " + text, true, http.log(), null);
            }
            if ("none".equalsIgnoreCase(status.path("session").asString("none")) && !text.contains("in progress")) {
                return;
            }
            pause();
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
        throw new FabricException(Kind.TIMEOUT, "The commit did not complete within " + COMMIT_POLLS + " polls", true,
                http.log(), null);
    }

    private boolean abort(HttpConversation http) {
        try {
            nxapi.cli(http, List.of("no zone commit vsan " + vsan));
            return true;
        } catch (FabricException e) {
            return e.getMessage().contains("No pending info found");
        }
    }

    private Snapshot snapshot(HttpConversation http) {
        List<JsonNode> results = nxapi.call(http, readCommands());
        // the active zoneset's read comes last: it fails when none is active, and NX-API runs nothing after a failure
        for (int i = 0; i < 6; i++) {
            if (results.get(i).has("__error")) {
                throw NxapiClient.error(results.get(i).path("__error").asString(), http);
            }
        }
        JsonNode status = status(results.get(0));
        Map<String, Zone> zones = new TreeMap<>();
        for (JsonNode zone : Json.items(results.get(2).path("body").path("TABLE_zone").get("ROW_zone"))) {
            Zone parsed = zone(zone);
            zones.put(parsed.name(), parsed);
        }
        Map<String, List<String>> zonesets = new TreeMap<>();
        for (JsonNode zoneset : Json.items(results.get(1).path("body").path("TABLE_zoneset").get("ROW_zoneset"))) {
            List<String> members = new ArrayList<>();
            for (JsonNode zone : Json.items(zoneset.path("TABLE_zone").get("ROW_zone"))) {
                Zone parsed = zone(zone);
                members.add(parsed.name());
                zones.putIfAbsent(parsed.name(), parsed);
            }
            zonesets.put(Json.text(zoneset, "name", "zoneset_name"), members);
        }
        Map<String, Alias> aliases = new TreeMap<>();
        for (JsonNode row : Json.items(results.get(3).path("body").path("TABLE_device_alias_database")
                .get("ROW_device_alias_database"))) {
            String name = Json.text(row, "dev_alias_name");
            aliases.put(name, new Alias(name, List.of(Json.text(row, "pwwn").toLowerCase())));
        }
        // fcaliases (per VSAN, a namespace apart from device-aliases): kept as "fcalias:<name>", so a zone member
        // naming one resolves to its pWWNs and can never be taken for a device-alias of the same name
        Map<String, Alias> fcaliases = new TreeMap<>();
        for (JsonNode row : Json.items(results.get(4).path("body").path("TABLE_fcalias").get("ROW_fcalias"))) {
            String name = FCALIAS + Json.text(row, "fcalias_name", "name");
            List<String> wwns = new ArrayList<>();
            for (JsonNode member : Json.items(row.path("TABLE_fcalias_member").get("ROW_fcalias_member"))) {
                String type = Json.text(member, "fcalias_member_type", "type");
                if ("pwwn".equals(type)) {
                    wwns.add(Json.text(member, "fcalias_wwn", "wwn").toLowerCase());
                } else if ("device-alias".equals(type)) {
                    Alias deviceAlias = aliases.get(Json.text(member, "fcalias_dev_alias", "dev_alias"));
                    if (deviceAlias != null) {
                        wwns.addAll(deviceAlias.wwns());
                    }
                }
                // fcid and interface members name no WWN: they stay out of what the fcalias resolves to
            }
            fcaliases.put(name, new Alias(name, wwns));
        }
        aliases.putAll(fcaliases);
        String activeName = null;
        Map<String, Zone> active = new TreeMap<>();
        JsonNode activeResult = results.get(6);
        if (!activeResult.has("__error")) {
            for (JsonNode zoneset : Json.items(activeResult.path("body").path("TABLE_zoneset").get("ROW_zoneset"))) {
                activeName = Json.text(zoneset, "name", "zoneset_name");
                for (JsonNode zone : Json.items(zoneset.path("TABLE_zone").get("ROW_zone"))) {
                    Zone parsed = zone(zone);
                    active.put(parsed.name(), parsed);
                }
            }
        } else if (!activeResult.path("__error").asString().contains("Zoneset not present")) {
            throw NxapiClient.error(activeResult.path("__error").asString(), http);
        }
        boolean enhanced = "enhanced".equalsIgnoreCase(status.path("mode").asString(""));
        // basic device-alias mode puts pWWNs in zones where enhanced keeps names: the same zones read differently
        String deviceAliasMode = deviceAliasMode(results.get(5));
        ZoningDatabase unsigned = new ZoningDatabase("", activeName, new TreeMap<>(zonesets), new TreeMap<>(zones),
                new TreeMap<>(aliases), new TreeMap<>(active), enhanced);
        // the zone database's use: the full database's size of the most the switch holds (show zone status)
        long used = status.path("fulldb_dbsize").asLong(-1);
        long max = status.path("maxdb_dbsize").asLong(-1);
        return new Snapshot(new ZoningDatabase(digest(unsigned, deviceAliasMode), activeName, unsigned.configs(),
                unsigned.zones(), unsigned.aliases(), unsigned.activeZones(), enhanced,
                used >= 0 && max > 0 ? new ZoningDatabase.Capacity(used, max) : null,
                "NX-API: zoning " + (enhanced ? "enhanced" : "basic") + " mode, device-aliases " + deviceAliasMode
                        + " mode"), status);
    }

    private static JsonNode status(JsonNode result) {
        return Json.items(result.path("body").path("TABLE_zone_status").get("ROW_zone_status")).stream().findFirst()
                .orElse(Json.MAPPER.createObjectNode());
    }

    private static Zone zone(JsonNode zone) {
        List<String> members = new ArrayList<>();
        List<String> principals = new ArrayList<>();
        for (JsonNode member : Json.items(zone.path("TABLE_zone_member").get("ROW_zone_member"))) {
            String type = Json.text(member, "type");
            String value;
            if ("device-alias".equals(type)) {
                value = Json.text(member, "dev_alias");
            } else if ("fcalias".equals(type)) {
                value = Json.text(member, "fcalias_name") == null ? null : FCALIAS + Json.text(member, "fcalias_name");
            } else {
                String wwn = Json.text(member, "wwn", "pwwn");
                value = wwn == null ? null : wwn.toLowerCase();
            }
            if (value == null) {
                continue;
            }
            String devtype = Json.text(member, "devtype", "dev_type");
            if ("target".equalsIgnoreCase(devtype)) {
                principals.add(value);
            } else {
                members.add(value);
            }
        }
        return new Zone(Json.text(zone, "name", "zone_name"), members, principals);
    }

    private static String deviceAliasMode(JsonNode result) {
        return result.path("body").path("database_mode").asString("unknown").toLowerCase(Locale.ROOT);
    }

    private static String digest(ZoningDatabase db, String deviceAliasMode) {
        StringBuilder text = new StringBuilder();
        db.zones().forEach((name, zone) -> text.append("z:").append(name).append(zone.members())
                .append(zone.principals()).append('\n'));
        db.configs().forEach((name, zones) -> text.append("s:").append(name).append(zones).append('\n'));
        db.aliases().forEach((name, alias) -> text.append("d:").append(name).append(alias.wwns()).append('\n'));
        text.append("m:").append(db.sessionCommit() ? "enhanced" : "basic").append('\n');
        text.append("dm:").append(deviceAliasMode).append('\n');
        text.append("a:").append(db.activeConfig());
        db.activeZones().forEach((name, zone) -> text.append(name).append(zone.members()).append(zone.principals()));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
