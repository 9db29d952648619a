package org.vfzone.fabric.cisco;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vfzone.fabric.Json;
import org.vfzone.fabric.ZoneNames;
import org.vfzone.fabric.emulator.EmulatorServer;
import org.vfzone.fabric.emulator.PortStats;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An emulated Cisco MDS switch answering NX-API JSON-RPC 2.0 ({@code POST /ins}, HTTP Basic on every request) with a
 * small interpreter for the zoning CLI: {@code zone name … vsan N} / {@code member pwwn … [init|target]},
 * {@code zoneset name … vsan N} / {@code member …}, {@code zoneset activate}, and in enhanced mode a fabric-wide
 * session lock taken by the first change and released by {@code zone commit vsan N} or {@code no zone commit vsan N}.
 * Shows {@code show zone status}, {@code show zone}, {@code show zoneset [active]} in JSON with TABLE_/ROW_ keys, a
 * single row as a bare object, in the older ({@code zoneset_name}) or newer ({@code name}) key form; fcaliases
 * ({@code show fcalias vsan N}) and zones whose members are fcaliases, made by hand.
 */
public class CiscoMdsEmulator extends EmulatorServer {

    private static final Pattern WWN = Pattern.compile("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){7}$");

    private final String username;
    private final String password;
    private final Clock clock;
    private final List<List<String>> commandLog = new ArrayList<>();
    private final Map<Integer, Vsan> vsans = new LinkedHashMap<>();
    private final int defaultVsan;
    private final Map<String, String> deviceAliases = new TreeMap<>();
    private Map<String, String> pendingAliases;
    private String aliasLockOwner;
    private boolean deviceAliasBasicMode;
    private boolean analytics;
    /** The switch's FC ports by interface name (all VSANs): every port a device logged in on, and any asked for. */
    private final Map<String, PortStats> ports = new TreeMap<>();
    /** {@code show interface counters detailed} in the flat form of NX-OS before 8.4(2). */
    private boolean countersBefore842;
    /** SAN Analytics' initiator–target flows: vsan, port, initiator FCID, target FCID → read/write IOs, bytes. */
    private final Map<List<String>, long[]> flows = new LinkedHashMap<>();
    private boolean newKeyNames;
    private boolean answerHtml;
    private int concurrentChanges;

    static final class Db {
        final Map<String, List<String[]>> zones = new TreeMap<>();          // member: {wwn, devtype or null, kind}
        final Map<String, List<String>> fcaliases = new TreeMap<>();       // fcalias: its pWWNs
        final Map<String, List<String>> zonesets = new TreeMap<>();
        String activeZoneset;
        Map<String, List<String[]>> activeZones = new TreeMap<>();

        Db copy() {
            Db copy = new Db();
            zones.forEach((k, v) -> copy.zones.put(k, new ArrayList<>(v)));
            zonesets.forEach((k, v) -> copy.zonesets.put(k, new ArrayList<>(v)));
            fcaliases.forEach((k, v) -> copy.fcaliases.put(k, new ArrayList<>(v)));
            copy.activeZoneset = activeZoneset;
            copy.activeZones = new TreeMap<>(activeZones);
            return copy;
        }
    }

    static final class Vsan {
        final Map<String, String[]> logins = new LinkedHashMap<>();
        boolean enhanced = true;
        boolean smartZoning;
        /** The most the full zone database may hold (show zone status maxdb_dbsize). */
        long maxDbSize = 4_000_000;
        Db db = new Db();
        Db pending;
        String lockOwner;
        String status = "";
    }

    private volatile String nxosVersion = "8.4(2c)";

    /** The NX-OS version the switch reports in {@code show version} ({@code sys_ver_str}). */
    public void nxosVersion(String version) {
        this.nxosVersion = version;
    }

    public CiscoMdsEmulator(String username, String password, int... vsans) {
        this(0, username, password, Clock.systemUTC(), vsans);
    }

    public CiscoMdsEmulator(int port, String username, String password, Clock clock, int... vsanIds) {
        super(port);
        this.username = username;
        this.password = password;
        this.clock = clock;
        int[] ids = vsanIds.length == 0 ? new int[] {1} : vsanIds;
        for (int id : ids) {
            vsans.put(id, new Vsan());
        }
        defaultVsan = ids[0];
    }

    // ---- test and demo controls -------------------------------------------------------------------------------

    /** Newer NX-OS key names ({@code name}, {@code vsan_id}) instead of {@code zoneset_name}, {@code zone_name}. */
    public synchronized void newKeyNames(boolean enabled) {
        this.newKeyNames = enabled;
    }

    public synchronized void answerHtml(boolean enabled) {
        this.answerHtml = enabled;
    }

    public synchronized void basicMode(int vsan) {
        vsans.get(vsan).enhanced = false;
    }

    public synchronized void smartZoning(int vsan, boolean enabled) {
        vsans.get(vsan).smartZoning = enabled;
    }

    /** Another user starts an enhanced-zoning session and keeps the lock. */
    public synchronized void lockBy(int vsan, String user) {
        Vsan v = vsans.get(vsan);
        v.lockOwner = user;
        v.pending = v.db.copy();
    }

    public synchronized String lockOwner(int vsan) {
        return vsans.get(vsan).lockOwner;
    }

    /** A zone made by hand, in the active zoneset. */
    public synchronized void seedZone(int vsan, String zoneset, String zone, List<String> wwns) {
        Db db = vsans.get(vsan).db;
        List<String[]> members = new ArrayList<>();
        wwns.forEach(w -> members.add(new String[] {w, null}));
        db.zones.put(zone, members);
        db.zonesets.computeIfAbsent(zoneset, k -> new ArrayList<>()).add(zone);
        activate(db, zoneset);
    }

    /** An fcalias made by hand (replacing one of that name), as an admin's CLI does. */
    public synchronized void seedFcalias(int vsan, String name, List<String> wwns) {
        vsans.get(vsan).db.fcaliases.put(name, new ArrayList<>(wwns));
    }

    /** A zone made by hand whose members are fcaliases (by name) and pWWNs, in the active zoneset. */
    public synchronized void seedZoneOfFcaliases(int vsan, String zoneset, String zone, List<String> fcaliases,
                                                 List<String> wwns) {
        Db db = vsans.get(vsan).db;
        List<String[]> members = new ArrayList<>();
        fcaliases.forEach(name -> members.add(new String[] {name, null, "fcalias"}));
        wwns.forEach(w -> members.add(new String[] {w, null}));
        db.zones.put(zone, members);
        db.zonesets.computeIfAbsent(zoneset, k -> new ArrayList<>()).add(zone);
        activate(db, zoneset);
    }

    public synchronized Map<String, List<String>> activeZones(int vsan) {
        Map<String, List<String>> zones = new TreeMap<>();
        Db db = vsans.get(vsan).db;
        db.activeZones.forEach((name, members) -> zones.put(name, members.stream().map(m -> m[0]).toList()));
        return zones;
    }

    public synchronized String activeZoneset(int vsan) {
        return vsans.get(vsan).db.activeZoneset;
    }

    /** A device logs in on the VSAN: it appears in {@code show fcns database}. */
    public synchronized void login(int vsan, String wwpn, String nodeName, String fcid, String iface,
                                   String symbolicName, String fc4) {
        vsans.get(vsan).logins.put(wwpn, new String[] {wwpn, nodeName, fcid, iface, symbolicName, fc4});
        port(iface);
    }

    /** The interface the device logged in on, or null when it is not logged in on the VSAN. */
    public synchronized String interfaceOf(int vsan, String wwpn) {
        String[] login = vsans.get(vsan).logins.get(wwpn);
        return login == null ? null : login[3];
    }

    /** The port of that interface name (made when first asked for), to play a scenario on it. */
    public synchronized PortStats port(String iface) {
        return ports.computeIfAbsent(iface, i -> new PortStats());
    }

    /** Answer {@code show interface counters detailed} with the flat keys of NX-OS before 8.4(2), or the nested ones. */
    public synchronized void countersBefore842(boolean flat) {
        countersBefore842 = flat;
    }

    /** The FCID the device logged in with, or null when it is not logged in on the VSAN. */
    public synchronized String fcidOf(int vsan, String wwpn) {
        String[] login = vsans.get(vsan).logins.get(wwpn);
        return login == null ? null : login[2];
    }

    public synchronized void logout(int vsan, String wwpn) {
        vsans.get(vsan).logins.remove(wwpn);
    }

    /** {@code feature analytics} with analytics on the ports: the flow query answers (off, it is an unknown command). */
    public synchronized void analytics(boolean enabled) {
        analytics = enabled;
    }

    /** The most the VSAN's zone database may hold, in bytes: a commit or change beyond it is refused. */
    public synchronized void zoneDatabaseMax(int vsan, long bytes) {
        vsans.get(vsan).maxDbSize = bytes;
    }

    /** The bytes the VSAN's committed zone database uses now. */
    public synchronized long zoneDatabaseUsed(int vsan) {
        return dbSize(vsans.get(vsan).db);
    }

    /** The full zone database's size as this switch counts it: 24 bytes per object, names and 8 per member WWN. */
    static long dbSize(Db db) {
        long bytes = 0;
        for (Map.Entry<String, List<String[]>> zone : db.zones.entrySet()) {
            bytes += 24 + zone.getKey().length() + 8L * zone.getValue().size();
        }
        for (Map.Entry<String, List<String>> zoneset : db.zonesets.entrySet()) {
            bytes += 24 + zoneset.getKey().length() + zoneset.getValue().stream().mapToLong(z -> z.length() + 2).sum();
        }
        for (Map.Entry<String, List<String>> fcalias : db.fcaliases.entrySet()) {
            bytes += 24 + fcalias.getKey().length() + 8L * fcalias.getValue().size();
        }
        return bytes;
    }

    private static void requireRoom(Vsan v, Db db) {
        long size = dbSize(db);
        if (size > v.maxDbSize) {
            throw new CliError("Zone database size exceeds the maximum: " + size + " bytes, maximum " + v.maxDbSize);
        }
    }

    /** Whether the flow between the two FCIDs is known at the port. */
    public synchronized boolean hasFlow(int vsan, String port, String initiatorFcid, String targetFcid) {
        return flows.containsKey(List.of(String.valueOf(vsan), port, initiatorFcid, targetFcid));
    }

    /**
     * IO on an initiator–target flow seen at a port: adds to the flow's totals (SAN Analytics keeps totals since the
     * flow was learned).
     */
    public synchronized void flowTraffic(int vsan, String port, String initiatorFcid, String targetFcid, long readIos,
                                         long writeIos, long readBytes, long writeBytes) {
        long[] totals = flows.computeIfAbsent(List.of(String.valueOf(vsan), port, initiatorFcid, targetFcid),
                k -> new long[4]);
        totals[0] += readIos;
        totals[1] += writeIos;
        totals[2] += readBytes;
        totals[3] += writeBytes;
    }

    /** Forgets every flow ({@code clear} or a supervisor switchover): totals start again from zero. */
    public synchronized void clearFlows() {
        flows.clear();
    }

    /**
     * Device-alias basic mode: a zone member given as {@code member device-alias X} is stored as X's pWWN (enhanced
     * mode, the default, keeps the name).
     */
    public synchronized void deviceAliasBasicMode(boolean basic) {
        deviceAliasBasicMode = basic;
    }

    public synchronized Map<String, String> deviceAliases() {
        return new TreeMap<>(deviceAliases);
    }

    /** An administrator removes a device-alias at the switch's CLI. */
    public synchronized void deleteDeviceAliasByHand(String name) {
        deviceAliases.remove(name);
    }

    /** Another user opens a device-alias session and keeps it. */
    public synchronized void lockDeviceAliasesBy(String user) {
        aliasLockOwner = user;
        pendingAliases = new TreeMap<>(deviceAliases);
    }

    public synchronized String deviceAliasLockOwner() {
        return aliasLockOwner;
    }

    /** The commands of every JSON-RPC request received, one list per request. */
    public synchronized List<List<String>> commandLog() {
        return List.copyOf(commandLog);
    }

    /** Device-alias names that defined zones of the VSAN name but the device-alias database lacks. */
    public synchronized Set<String> missingDeviceAliases(int vsan) {
        Set<String> missing = new TreeSet<>();
        vsans.get(vsan).db.zones.values().forEach(members -> members.stream()
                .filter(member -> "device-alias".equals(kind(member)) && !deviceAliases.containsKey(member[0]))
                .forEach(member -> missing.add(member[0])));
        return missing;
    }

    public synchronized Set<String> definedZones(int vsan) {
        return new TreeSet<>(vsans.get(vsan).db.zones.keySet());
    }

    // ---- protocol ----------------------------------------------------------------------------------------------

    @Override
    protected Reply handle(String method, URI uri, Map<String, String> headers, String body) {
        if (answerHtml) {
            return Reply.of(200, "text/html", "<html><body>Device Manager</body></html>");
        }
        if (!"POST".equals(method) || !"/ins".equals(uri.getPath())) {
            return Reply.of(404, "text/html", "<html><body>Not Found</body></html>");
        }
        String user = authenticate(headers.get("Authorization"));
        if (user == null) {
            return Reply.of(401, "text/html", "<html><body>401 Unauthorized</body></html>");
        }
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (RuntimeException e) {
            return Reply.of(200, "application/json-rpc", rpcError(null, -32700, "Parse error", "Malformed JSON").toString());
        }
        ArrayNode replies = Json.MAPPER.createArrayNode();
        Context context = new Context();
        boolean failed = false;
        List<String> received = new ArrayList<>();
        Json.items(request).forEach(call -> received.add(call.path("params").path("cmd").asString("").trim()));
        commandLog.add(received);
        for (JsonNode call : Json.items(request)) {
            JsonNode id = call.get("id");
            String cmd = call.path("params").path("cmd").asString("").trim();
            if (failed) {
                replies.add(rpcError(id, -32602, "Invalid params", "Not executed: an earlier command failed"));
                continue;
            }
            try {
                JsonNode result = execute(cmd, user, context);
                ObjectNode reply = Json.MAPPER.createObjectNode();
                reply.put("jsonrpc", "2.0");
                reply.set("result", result);
                reply.set("id", id);
                replies.add(reply);
            } catch (CliError e) {
                failed = true;
                replies.add(rpcError(id, -32602, "Invalid params", e.getMessage()));
            }
        }
        JsonNode answer = request.isArray() ? replies : replies.get(0);
        return Reply.of(200, "application/json-rpc", answer.toString());
    }

    private String authenticate(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return credentials.equals(username + ":" + password) ? username : null;
    }

    /** CLI submode within one request, as the switch tracks it for one session. */
    private static final class Context {
        String zone;
        String zoneset;
        String fcalias;
        int vsan;
    }

    private JsonNode execute(String cmd, String user, Context ctx) {
        Matcher m;
        if (cmd.isEmpty() || cmd.equals("configure terminal") || cmd.equals("conf t") || cmd.equals("end")
                || cmd.equals("terminal dont-ask") || cmd.equals("no terminal dont-ask")
                || cmd.equals("copy running-config startup-config")) {
            return null;
        }
        if (cmd.equals("show interface counters detailed")) {
            ArrayNode rows = Json.MAPPER.createArrayNode();
            ports.forEach((iface, stats) -> {
                synchronized (stats) {
                    if (stats.online) {
                        rows.add(countersRow(iface, stats));
                    }
                }
            });
            ObjectNode body = Json.MAPPER.createObjectNode();
            rows(body, "counters", rows);
            return body(body);
        }
        if (cmd.equals("show version")) {
            ObjectNode version = Json.MAPPER.createObjectNode();
            version.put("sys_ver_str", nxosVersion);
            version.put("kickstart_ver_str", nxosVersion);
            version.put("chassis_id", "MDS 9148T 32G 48 FC Ports Chassis");
            version.put("host_name", "emulated-mds");
            return body(version);
        }
        if ((m = match(cmd, "show vsan (\\d+)")) != null) {
            vsan(m.group(1));
            ObjectNode table = Json.MAPPER.createObjectNode();
            ObjectNode row = table.putObject("TABLE_vsan").putObject("ROW_vsan");
            row.put("vsan_id", Integer.parseInt(m.group(1)));
            row.put("vsan_name", String.format("VSAN%04d", Integer.parseInt(m.group(1))));
            row.put("state", "active");
            row.put("operational_state", "up");
            return body(table);
        }
        if ((m = match(cmd, "show zone status vsan (\\d+)")) != null) {
            return body(zoneStatus(vsan(m.group(1))));
        }
        if ((m = match(cmd, "show fcns database detail vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(1));
            ArrayNode rows = Json.MAPPER.createArrayNode();
            for (String[] login : v.logins.values()) {
                ObjectNode row = rows.addObject();
                row.put("fcid", login[2]);
                row.put("type", "N");
                row.put("pwwn", login[0]);
                row.put("node_name", login[1]);
                row.put("symbolic_port_name", login[4]);
                row.put("fc4_types_fc4_features", login[5]);
                row.put("connected_interface", login[3]);
            }
            ObjectNode body = Json.MAPPER.createObjectNode();
            if (!rows.isEmpty()) {
                ObjectNode vsanRow = Json.MAPPER.createObjectNode();
                vsanRow.put("vsan_id", Integer.parseInt(m.group(1)));
                rows(vsanRow, "fcns_database", rows);
                ArrayNode vsanRows = Json.MAPPER.createArrayNode();
                vsanRows.add(vsanRow);
                rows(body, "fcns_vsan", vsanRows);
            }
            return body(body);
        }
        if ((m = match(cmd, "show zoneset active vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(1));
            if (v.db.activeZoneset == null) {
                throw new CliError("Zoneset not present");
            }
            return body(zonesets(Map.of(v.db.activeZoneset, new ArrayList<>(v.db.activeZones.keySet())),
                    v.db.activeZones, Integer.parseInt(m.group(1))));
        }
        if ((m = match(cmd, "show zoneset vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(1));
            return body(zonesets(v.db.zonesets, v.db.zones, Integer.parseInt(m.group(1))));
        }
        if ((m = match(cmd, "show fcalias vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(1));
            int vsanId = Integer.parseInt(m.group(1));
            ArrayNode rows = Json.MAPPER.createArrayNode();
            v.db.fcaliases.forEach((name, wwns) -> {
                ObjectNode row = rows.addObject();
                row.put("fcalias_name", name);
                row.put("fcalias_vsan_id", vsanId);
                ArrayNode members = Json.MAPPER.createArrayNode();
                wwns.forEach(wwn -> members.addObject().put("fcalias_member_type", "pwwn").put("fcalias_wwn", wwn));
                rows(row, "fcalias_member", members);
            });
            ObjectNode body = Json.MAPPER.createObjectNode();
            rows(body, "fcalias", rows);
            return body(body);
        }
        if ((m = match(cmd, "show zone vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(1));
            ObjectNode body = Json.MAPPER.createObjectNode();
            rows(body, "zone", zoneRows(v.db.zones, new ArrayList<>(v.db.zones.keySet()), Integer.parseInt(m.group(1))));
            return body(body);
        }
        if ((m = match(cmd, "fcalias name (\\S+) vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(2));
            checkName(m.group(1), "fcalias");
            Db db = writable(v, user);
            db.fcaliases.computeIfAbsent(m.group(1), k -> new ArrayList<>());
            ctx.fcalias = m.group(1);
            ctx.zone = null;
            ctx.zoneset = null;
            ctx.vsan = Integer.parseInt(m.group(2));
            return null;
        }
        if ((m = match(cmd, "no fcalias name (\\S+) vsan (\\d+)")) != null) {
            Db db = writable(vsan(m.group(2)), user);
            String fcalias = m.group(1);
            if (!db.fcaliases.containsKey(fcalias)) {
                throw new CliError("Fcalias " + fcalias + " not present");
            }
            boolean used = db.zones.values().stream().flatMap(List::stream)
                    .anyMatch(member -> "fcalias".equals(kind(member)) && member[0].equals(fcalias));
            if (used) {
                throw new CliError("Fcalias " + fcalias + " is a member of a zone: remove it from the zone first");
            }
            db.fcaliases.remove(fcalias);
            return null;
        }
        if ((m = match(cmd, "(no )?member pwwn (\\S+)")) != null && ctx.fcalias != null) {
            Db db = writable(vsans.get(ctx.vsan), user);
            String wwn = m.group(2).toLowerCase();
            if (!WWN.matcher(wwn).matches()) {
                throw new CliError("Invalid pwwn " + wwn);
            }
            List<String> members = db.fcaliases.get(ctx.fcalias);
            if (m.group(1) != null) {
                members.remove(wwn);
            } else if (!members.contains(wwn)) {
                members.add(wwn);
            }
            return null;
        }
        if ((m = match(cmd, "(no )?member fcalias (\\S+)( init| target| both)?")) != null && ctx.zone != null) {
            Vsan v = vsans.get(ctx.vsan);
            Db db = writable(v, user);
            String fcalias = m.group(2);
            String devtype = m.group(3) == null ? null : m.group(3).trim();
            if (devtype != null && !v.smartZoning) {
                throw new CliError("Smart zoning is not enabled on VSAN " + ctx.vsan);
            }
            List<String[]> members = db.zones.get(ctx.zone);
            if (m.group(1) != null) {
                members.removeIf(member -> "fcalias".equals(kind(member)) && member[0].equals(fcalias));
            } else {
                if (!db.fcaliases.containsKey(fcalias)) {
                    throw new CliError("Fcalias " + fcalias + " not present");
                }
                if (members.stream().noneMatch(member -> "fcalias".equals(kind(member)) && member[0].equals(fcalias))) {
                    members.add(new String[] {fcalias, devtype, "fcalias"});
                }
            }
            return null;
        }
        if ((m = match(cmd, "zone name (\\S+) vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(2));
            checkName(m.group(1), "zone");
            Db db = writable(v, user);
            db.zones.computeIfAbsent(m.group(1), k -> new ArrayList<>());
            ctx.zone = m.group(1);
            ctx.fcalias = null;
            ctx.zoneset = null;
            ctx.vsan = Integer.parseInt(m.group(2));
            return null;
        }
        if ((m = match(cmd, "no zone name (\\S+) vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(2));
            Db db = writable(v, user);
            String zone = m.group(1);
            if (db.zones.remove(zone) == null) {
                throw new CliError("Zone " + zone + " not present");
            }
            db.zonesets.values().forEach(zones -> zones.remove(zone));
            return null;
        }
        if ((m = match(cmd, "(no )?member device-alias (\\S+)( init| target| both)?")) != null && ctx.zone != null) {
            Vsan v = vsans.get(ctx.vsan);
            Db db = writable(v, user);
            String alias = m.group(2);
            String devtype = m.group(3) == null ? null : m.group(3).trim();
            if (devtype != null && !v.smartZoning) {
                throw new CliError("Smart zoning is not enabled on VSAN " + ctx.vsan);
            }
            List<String[]> members = db.zones.get(ctx.zone);
            if (deviceAliasBasicMode) {
                // basic mode: the switch puts the alias's pWWN in the zone, not the name
                String wwn = deviceAliases.get(alias);
                if (wwn == null) {
                    throw new CliError("Device-alias " + alias + " not present");
                }
                if (m.group(1) != null) {
                    members.removeIf(member -> "pwwn".equals(kind(member)) && member[0].equals(wwn));
                } else if (members.stream().noneMatch(member -> "pwwn".equals(kind(member)) && member[0].equals(wwn))) {
                    members.add(new String[] {wwn, devtype});
                }
                return null;
            }
            if (m.group(1) != null) {
                members.removeIf(member -> "device-alias".equals(kind(member)) && member[0].equals(alias));
            } else {
                if (!deviceAliases.containsKey(alias)) {
                    throw new CliError("Device-alias " + alias + " not present");
                }
                if (members.stream().noneMatch(member -> "device-alias".equals(kind(member))
                        && member[0].equals(alias))) {
                    members.add(new String[] {alias, devtype, "device-alias"});
                }
            }
            return null;
        }
        if ((m = match(cmd, "(no )?member pwwn (\\S+)( init| target| both)?")) != null && ctx.zone != null) {
            Vsan v = vsans.get(ctx.vsan);
            Db db = writable(v, user);
            String wwn = m.group(2);
            if (!WWN.matcher(wwn).matches()) {
                throw new CliError("Invalid pwwn " + wwn);
            }
            String devtype = m.group(3) == null ? null : m.group(3).trim();
            if (devtype != null && !v.smartZoning) {
                throw new CliError("Smart zoning is not enabled on VSAN " + ctx.vsan);
            }
            List<String[]> members = db.zones.get(ctx.zone);
            if (m.group(1) != null) {
                members.removeIf(member -> member[0].equalsIgnoreCase(wwn));
            } else if (members.stream().noneMatch(member -> member[0].equalsIgnoreCase(wwn))) {
                members.add(new String[] {wwn.toLowerCase(), devtype});
            }
            return null;
        }
        if ((m = match(cmd, "zoneset name (\\S+) vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(2));
            checkName(m.group(1), "zoneset");
            Db db = writable(v, user);
            db.zonesets.computeIfAbsent(m.group(1), k -> new ArrayList<>());
            ctx.zoneset = m.group(1);
            ctx.zone = null;
            ctx.fcalias = null;
            ctx.vsan = Integer.parseInt(m.group(2));
            return null;
        }
        if ((m = match(cmd, "(no )?member (\\S+)")) != null && ctx.zoneset != null) {
            Db db = writable(vsans.get(ctx.vsan), user);
            List<String> members = db.zonesets.get(ctx.zoneset);
            if (m.group(1) != null) {
                members.remove(m.group(2));
            } else {
                if (!db.zones.containsKey(m.group(2))) {
                    throw new CliError("Zone " + m.group(2) + " not present");
                }
                if (!members.contains(m.group(2))) {
                    members.add(m.group(2));
                }
            }
            return null;
        }
        if ((m = match(cmd, "zoneset activate name (\\S+) vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(2));
            Db db = writable(v, user);
            if (!db.zonesets.containsKey(m.group(1))) {
                throw new CliError("Zoneset " + m.group(1) + " not present");
            }
            if (!v.enhanced) {
                requireRoom(v, db);
            }
            activate(db, m.group(1));
            if (!v.enhanced) {
                v.status = "Activation completed at " + clock.instant();
            }
            return message("Zoneset activation initiated. check zone status");
        }
        if ((m = match(cmd, "zone commit vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(1));
            if (v.lockOwner == null || !v.lockOwner.equals(user)) {
                throw new CliError("No pending info found");
            }
            requireRoom(v, v.pending);
            v.db = v.pending;
            v.pending = null;
            v.lockOwner = null;
            v.status = "Commit complete at " + clock.instant();
            return message("Commit operation initiated. Check zone status");
        }
        if ((m = match(cmd, "no zone commit vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(1));
            if (v.lockOwner == null || !v.lockOwner.equals(user)) {
                throw new CliError("No pending info found");
            }
            v.pending = null;
            v.lockOwner = null;
            return null;
        }
        if ((m = match(cmd, "clear zone lock vsan (\\d+)")) != null) {
            Vsan v = vsan(m.group(1));
            v.pending = null;
            v.lockOwner = null;
            return message("Command will clear lock from the entire fabric");
        }
        if (cmd.equals("device-alias database")) {
            if (aliasLockOwner != null && !aliasLockOwner.equals(user)) {
                throw new CliError("Device-alias database is locked by " + aliasLockOwner + ": Lock is currently busy");
            }
            if (aliasLockOwner == null) {
                aliasLockOwner = user;
                pendingAliases = new TreeMap<>(deviceAliases);
            }
            ctx.zone = null;
            ctx.zoneset = null;
            return null;
        }
        if ((m = match(cmd, "device-alias name (\\S+) pwwn (\\S+)")) != null) {
            requireAliasSession(user);
            checkName(m.group(1), "device-alias");
            String wwn = m.group(2).toLowerCase();
            if (!WWN.matcher(wwn).matches()) {
                throw new CliError("Invalid pwwn " + wwn);
            }
            String name = m.group(1);
            if (pendingAliases.containsKey(name)) {
                throw new CliError("Device Alias already present");
            }
            if (pendingAliases.containsValue(wwn)) {
                throw new CliError("Another device-alias already present with the same pwwn");
            }
            pendingAliases.put(name, wwn);
            return null;
        }
        if ((m = match(cmd, "no device-alias name (\\S+)")) != null) {
            requireAliasSession(user);
            String name = m.group(1);
            if (!pendingAliases.containsKey(name)) {
                throw new CliError("Device Alias not present");
            }
            for (Vsan v : vsans.values()) {
                for (List<String[]> members : v.db.zones.values()) {
                    if (members.stream().anyMatch(mm -> "device-alias".equals(kind(mm)) && mm[0].equals(name))) {
                        throw new CliError("Device-alias enhanced zone member present");
                    }
                }
            }
            pendingAliases.remove(name);
            return null;
        }
        if (cmd.equals("device-alias commit")) {
            requireAliasSession(user);
            deviceAliases.clear();
            deviceAliases.putAll(pendingAliases);
            pendingAliases = null;
            aliasLockOwner = null;
            return message("The following device-alias changes are about to be committed");
        }
        if (cmd.equals("clear device-alias session")) {
            pendingAliases = null;
            aliasLockOwner = null;
            return null;
        }
        if (cmd.equals("show device-alias status")) {
            ObjectNode status = Json.MAPPER.createObjectNode();
            status.put("fabric_distribution", "Enabled");
            status.put("database_device_aliases", String.valueOf(deviceAliases.size()));
            status.put("database_mode", deviceAliasBasicMode ? "Basic" : "Enhanced");
            if (aliasLockOwner != null) {
                status.put("Locked_by_user", "CLI/SNMPv3:" + aliasLockOwner);
            }
            return body(status);
        }
        if (cmd.equals("show device-alias database")) {
            ArrayNode rows = Json.MAPPER.createArrayNode();
            deviceAliases.forEach((name, wwn) -> {
                ObjectNode row = rows.addObject();
                row.put("dev_alias_name", name);
                row.put("pwwn", wwn);
            });
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("number_of_entries", deviceAliases.size());
            rows(body, "device_alias_database", rows);
            return body(body);
        }
        if (cmd.equals("show analytics query \"select all from fc-scsi.scsi_initiator_it_flow\"") && analytics) {
            // the layout of the switch's own JSON: rows keyed "1", "2", …, every value a string
            ObjectNode values = Json.MAPPER.createObjectNode();
            int n = 0;
            for (Map.Entry<List<String>, long[]> flow : flows.entrySet()) {
                ObjectNode row = values.putObject(String.valueOf(++n));
                row.put("port", flow.getKey().get(1));
                row.put("vsan", flow.getKey().get(0));
                row.put("app_id", "255");
                row.put("initiator_id", flow.getKey().get(2));
                row.put("target_id", flow.getKey().get(3));
                row.put("total_read_io_count", String.valueOf(flow.getValue()[0]));
                row.put("total_write_io_count", String.valueOf(flow.getValue()[1]));
                row.put("total_read_io_bytes", String.valueOf(flow.getValue()[2]));
                row.put("total_write_io_bytes", String.valueOf(flow.getValue()[3]));
            }
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.set("values", values);
            return body(body);
        }
        throw new CliError("% Invalid command at '^' marker.");
    }

    private void requireAliasSession(String user) {
        if (aliasLockOwner == null || !aliasLockOwner.equals(user)) {
            throw new CliError("Device-alias database not in session: enter 'device-alias database' first");
        }
    }

    private Db writable(Vsan v, String user) {
        if (!v.enhanced) {
            return v.db;
        }
        if (v.lockOwner != null && !v.lockOwner.equals(user)) {
            throw new CliError("Lock is currently busy. Please try again later. Session held by " + v.lockOwner);
        }
        if (v.lockOwner == null) {
            v.lockOwner = user;
            v.pending = v.db.copy();
        }
        return v.pending;
    }

    private void activate(Db db, String zoneset) {
        db.activeZoneset = zoneset;
        Map<String, List<String[]>> active = new TreeMap<>();
        for (String zone : db.zonesets.get(zoneset)) {
            List<String[]> resolved = new ArrayList<>();
            for (String[] member : db.zones.get(zone)) {
                if ("device-alias".equals(kind(member))) {
                    String wwn = deviceAliases.get(member[0]);
                    if (wwn == null) {
                        throw new CliError("Device-alias " + member[0] + " not present");
                    }
                    resolved.add(new String[] {wwn, member[1], "pwwn"});
                } else {
                    resolved.add(member);
                }
            }
            active.put(zone, resolved);
        }
        db.activeZones = active;
    }

    private static String kind(String[] member) {
        return member.length > 2 && member[2] != null ? member[2] : "pwwn";
    }

    @Override
    protected void foreignTransaction() {
        if (vsans.get(defaultVsan).lockOwner == null) {
            lockBy(defaultVsan, "jdoe");
        }
    }

    @Override
    protected void concurrentChange() {
        concurrentChanges++;
        Db db = vsans.get(defaultVsan).db;
        String zone = "other_admin_zone_" + concurrentChanges;
        List<String[]> members = new ArrayList<>();
        members.add(new String[] {String.format("10:00:00:00:c9:00:%02x:02", concurrentChanges & 0xff), null});
        db.zones.put(zone, members);
        String zoneset = db.activeZoneset != null ? db.activeZoneset : "other_admin_zs";
        db.zonesets.computeIfAbsent(zoneset, k -> new ArrayList<>()).add(zone);
        activate(db, zoneset);
    }

    @Override
    protected Reply injectedFailure(int status, String message) {
        return Reply.of(status, "text/html", "<html><body>" + status + " " + message + "</body></html>");
    }

    private ObjectNode zoneStatus(Vsan v) {
        ObjectNode row = Json.MAPPER.createObjectNode();
        int id = vsans.entrySet().stream().filter(e -> e.getValue() == v).findFirst().orElseThrow().getKey();
        row.put("vsan_id", id);
        row.put("default_zone", "deny");
        row.put("distribute", "full");
        row.put("interop", "default");
        row.put("mode", v.enhanced ? "enhanced" : "basic");
        row.put("merge_control", "allow");
        row.put("session", v.lockOwner == null ? "none" : v.lockOwner);
        row.put("smart_zoning", v.smartZoning ? "enabled" : "disabled");
        row.put("fulldb_dbsize", dbSize(v.db));
        row.put("maxdb_dbsize", v.maxDbSize);
        row.put("fulldb_zoneset_count", v.db.zonesets.size());
        row.put("fulldb_zone_count", v.db.zones.size());
        if (v.db.activeZoneset != null) {
            row.put("activedb_zoneset_name", v.db.activeZoneset);
            row.put("activedb_zone_count", v.db.activeZones.size());
        }
        row.put("status", v.status);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("TABLE_zone_status").set("ROW_zone_status", row);
        return body;
    }

    private ObjectNode zonesets(Map<String, List<String>> zonesets, Map<String, List<String[]>> zones, int vsan) {
        ArrayNode rows = Json.MAPPER.createArrayNode();
        zonesets.forEach((name, members) -> {
            ObjectNode row = rows.addObject();
            row.put(newKeyNames ? "name" : "zoneset_name", name);
            row.put(newKeyNames ? "vsan_id" : "zoneset_vsan_id", vsan);
            rows(row, "zone", zoneRows(zones, members, vsan));
        });
        ObjectNode body = Json.MAPPER.createObjectNode();
        rows(body, "zoneset", rows);
        return body;
    }

    private ArrayNode zoneRows(Map<String, List<String[]>> zones, List<String> names, int vsan) {
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (String name : names) {
            ObjectNode zone = rows.addObject();
            zone.put(newKeyNames ? "name" : "zone_name", name);
            zone.put(newKeyNames ? "vsan_id" : "zone_vsan_id", vsan);
            ArrayNode members = Json.MAPPER.createArrayNode();
            for (String[] member : zones.getOrDefault(name, List.of())) {
                ObjectNode row = members.addObject();
                if ("device-alias".equals(kind(member))) {
                    row.put("type", "device-alias");
                    row.put("dev_alias", member[0]);
                    if (member[1] != null) {
                        row.put("devtype", member[1]);
                    }
                    continue;
                }
                if ("fcalias".equals(kind(member))) {
                    row.put("type", "fcalias");
                    row.put("fcalias_name", member[0]);
                    row.put("fcalias_vsan_id", vsan);
                    if (member[1] != null) {
                        row.put("devtype", member[1]);
                    }
                    continue;
                }
                row.put("type", "pwwn");
                row.put("wwn", member[0]);
                String alias = deviceAliases.entrySet().stream().filter(e -> e.getValue().equals(member[0]))
                        .map(Map.Entry::getKey).findFirst().orElse(null);
                if (alias != null) {
                    row.put("dev_alias", alias);
                }
                if (member[1] != null) {
                    row.put("devtype", member[1]);
                }
            }
            rows(zone, "zone_member", members);
        }
        return rows;
    }

    /** TABLE_x / ROW_x, where one row is a bare object and no rows means no table, as NX-API emits. */
    /** One interface's counters, flat before NX-OS 8.4(2) (with its misspelt {@code link_faliures}), nested after. */
    private ObjectNode countersRow(String iface, PortStats stats) {
        ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("interface", iface);
        if (countersBefore842) {
            ObjectNode frames = row.putObject("TABLE_frames").putObject("ROW_frames");
            frames.put("bytes_rcv", stats.rxBytes);
            frames.put("bytes_tran", stats.txBytes);
            row.put("txwait", stats.txWaitTicks);
            row.put("credit_loss", stats.creditLoss);
            row.put("timeout_discards", stats.discards);
            row.put("b2b_credits_transmit", stats.creditZero);
            row.put("b2b_credits_receive", 0);
            row.put("link_faliures", stats.linkFailures);
            row.put("sync_loss", 0);
            row.put("signal_loss", 0);
            row.put("inv_trans_err", 0);
            row.put("inv_crc", stats.crcErrors);
            return row;
        }
        ObjectNode totals = row.putObject("TABLE_total").putObject("ROW_total");
        totals.put("rx_total_bytes", stats.rxBytes);
        totals.put("tx_total_bytes", stats.txBytes);
        ObjectNode link = row.putObject("TABLE_link").putObject("ROW_link");
        link.put("rx_link_failures", stats.linkFailures);
        link.put("rx_sync_loss", 0);
        link.put("rx_signal_loss", 0);
        link.put("rx_inv_trans_err", 0);
        link.put("rx_inv_crc", stats.crcErrors);
        ObjectNode congestion = row.putObject("TABLE_congestion").putObject("ROW_congestion");
        congestion.put("tx_timeout_discards", stats.discards);
        congestion.put("tx_credit_loss", stats.creditLoss);
        congestion.put("txwait", stats.txWaitTicks);
        congestion.put("tx_b2b_credit_to_zero", stats.creditZero);
        congestion.put("rx_b2b_credit_to_zero", 0);
        return row;
    }

    private static void rows(ObjectNode parent, String name, ArrayNode rows) {
        if (rows.isEmpty()) {
            return;
        }
        parent.putObject("TABLE_" + name).set("ROW_" + name, rows.size() == 1 ? rows.get(0) : rows);
    }

    private Vsan vsan(String id) {
        Vsan v = vsans.get(Integer.parseInt(id));
        if (v == null) {
            throw new CliError("% VSAN " + id + " is not configured");
        }
        return v;
    }

    private static void checkName(String name, String kind) {
        ZoneNames.problem(name).ifPresent(problem -> {
            throw new CliError("Illegal " + kind + " name " + name + ": " + problem);
        });
    }

    private static Matcher match(String cmd, String regex) {
        Matcher m = Pattern.compile("^" + regex + "$").matcher(cmd);
        return m.matches() ? m : null;
    }

    private static JsonNode body(ObjectNode body) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.set("body", body);
        return result;
    }

    private static JsonNode message(String msg) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("msg", msg);
        return result;
    }

    private static ObjectNode rpcError(JsonNode id, int code, String message, String msg) {
        ObjectNode reply = Json.MAPPER.createObjectNode();
        reply.put("jsonrpc", "2.0");
        ObjectNode error = reply.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.putObject("data").put("msg", msg);
        reply.set("id", id);
        return reply;
    }

    private static final class CliError extends RuntimeException {
        CliError(String message) {
            super(message);
        }
    }
}
