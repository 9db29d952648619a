package org.vfzone.fabric.brocade;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

import org.vfzone.fabric.Json;
import org.vfzone.fabric.Xml;
import org.vfzone.fabric.ZoneNames;
import org.vfzone.fabric.emulator.EmulatorServer;
import org.vfzone.fabric.emulator.PortStats;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An emulated Brocade switch speaking the FOS REST zoning API over HTTP on loopback, as the public clients and
 * notes describe it: {@code POST /rest/login} hands out a session key in the {@code Authorization} header (at most
 * three sessions), {@code brocade-zone} defined/effective configuration in {@code application/yang-data+json},
 * {@code ?vf-id=} per logical switch, one zone transaction per logical switch owned by the session that wrote
 * first (with a timeout), a checksum over the committed database that a save/enable must quote, {@code cfg-action}
 * 1 save / 2 disable / 4 abort, RESTCONF error bodies, and the name rules. The firmware version it reports decides how
 * it speaks: before 8.2.1b the {@code zoning} and {@code switch} containers instead of {@code brocade-zone} and
 * {@code brocade-fibrechannel-switch}, before 8.2.1c XML only (answers, errors and request bodies), from 9.0 the
 * {@code fabric-lock} container and {@code zone-type-string}.
 */
public class BrocadeFosEmulator extends EmulatorServer {

    static final String YANG_JSON = "application/yang-data+json";
    static final String YANG_XML = "application/yang-data+xml";
    private static final String ZONE_PATH = "/rest/running/brocade-zone/";
    /** The zoning module's container before FOS 8.2.1b. */
    private static final String OLD_ZONE_PATH = "/rest/running/zoning/";
    private static final Pattern WWN = Pattern.compile("^[0-9a-f]{2}(:[0-9a-f]{2}){7}$");
    private static final Pattern DOMAIN_PORT = Pattern.compile("^\\d+,\\d+$");
    private static final int MAX_SESSIONS = 3;

    private final String username;
    private final String password;
    private final Map<Integer, LogicalSwitch> switches = new LinkedHashMap<>();
    private final int defaultVfId;
    private final Map<String, Instant> sessions = new LinkedHashMap<>();
    private int mostSessionsAtOnce;
    private final Clock clock;
    private Duration transactionTimeout = Duration.ofMinutes(5);
    private boolean singletonsAsObjects;
    private boolean answerHtml;
    private boolean answerXml;
    private int concurrentChanges;

    /** One logical switch's zoning database. */
    static final class Db {
        final Map<String, List<String>> aliases = new TreeMap<>();
        final Map<String, ZoneDef> zones = new TreeMap<>();
        final Map<String, List<String>> cfgs = new TreeMap<>();

        Db copy() {
            Db copy = new Db();
            aliases.forEach((k, v) -> copy.aliases.put(k, new ArrayList<>(v)));
            zones.forEach((k, v) -> copy.zones.put(k, v.copy()));
            cfgs.forEach((k, v) -> copy.cfgs.put(k, new ArrayList<>(v)));
            return copy;
        }
    }

    static final class ZoneDef {
        int type;
        final List<String> members = new ArrayList<>();
        final List<String> principals = new ArrayList<>();

        ZoneDef copy() {
            ZoneDef copy = new ZoneDef();
            copy.type = type;
            copy.members.addAll(members);
            copy.principals.addAll(principals);
            return copy;
        }
    }

    static final class LogicalSwitch {
        final Map<String, String[]> logins = new LinkedHashMap<>();
        /** Per device: its congestion states (FOS 9.0 traffic controller) and FPINs sent to it. */
        final Map<String, List<String>> congestionStates = new TreeMap<>();
        final Map<String, Long> fpinCongestionSent = new TreeMap<>();
        final Set<String> quarantined = new TreeSet<>();
        /** Ports by index: every port a device logged in on, and any a test asked for. */
        final Map<Integer, PortStats> ports = new TreeMap<>();
        Db committed = new Db();
        String effectiveCfg;
        Map<String, List<String>> effectiveZones = new TreeMap<>();
        String checksum;
        Db pending;
        String transactionOwner;
        /** Who holds the zoning lock, as FOS 9.0+ reports it for a client other than vfzone's session. */
        String lockUser;
        String lockAddress;
        String lockApplication;
        Instant transactionStarted;
        /** db-max: the most the zone database may hold. */
        long dbMax = 1_045_274;
    }

    /** The most the logical switch's zone database may hold, in bytes: a save or enable beyond it is refused. */
    public synchronized void zoneDatabaseMax(int vfId, long bytes) {
        switches.get(vfId).dbMax = bytes;
    }

    /** The zone database's size as this switch counts it (db-committed): names, 8 bytes a WWN, 12 a reference. */
    static long dbSize(Db db) {
        long bytes = 0;
        for (Map.Entry<String, List<String>> alias : db.aliases.entrySet()) {
            bytes += 20 + alias.getKey().length() + 8L * alias.getValue().size();
        }
        for (Map.Entry<String, ZoneDef> zone : db.zones.entrySet()) {
            for (String member : concat(zone.getValue().principals, zone.getValue().members)) {
                bytes += member.contains(":") ? 8 : 12;
            }
            bytes += 20 + zone.getKey().length();
        }
        for (Map.Entry<String, List<String>> cfg : db.cfgs.entrySet()) {
            bytes += 20 + cfg.getKey().length() + 12L * cfg.getValue().size();
        }
        return bytes;
    }

    public BrocadeFosEmulator(String username, String password, int... vfIds) {
        this(0, username, password, Clock.systemUTC(), vfIds);
    }

    public BrocadeFosEmulator(int port, String username, String password, Clock clock, int... vfIds) {
        this(port, null, username, password, clock, vfIds);
    }

    /** A switch answering https with the certificate of {@code tls}. */
    public BrocadeFosEmulator(int port, SSLContext tls, String username, String password, Clock clock,
                              int... vfIds) {
        super(port, tls);
        this.username = username;
        this.password = password;
        this.clock = clock;
        int[] ids = vfIds.length == 0 ? new int[] {128} : vfIds;
        for (int id : ids) {
            LogicalSwitch ls = new LogicalSwitch();
            ls.checksum = checksum(ls);
            switches.put(id, ls);
        }
        this.defaultVfId = ids[0];
    }

    // ---- test and demo controls -------------------------------------------------------------------------------

    /** Emit a one-element list as a bare object or string, as older FOS releases do. */
    public synchronized void singletonsAsObjects(boolean enabled) {
        this.singletonsAsObjects = enabled;
    }

    /** Answer every request with an HTML page, like a web server in front of the wrong port. */
    public synchronized void answerHtml(boolean enabled) {
        this.answerHtml = enabled;
    }

    /** Answer in XML whatever the client accepts, like a FOS release or proxy that ignores the Accept header. */
    public synchronized void answerXml(boolean enabled) {
        this.answerXml = enabled;
    }

    public synchronized void transactionTimeout(Duration timeout) {
        this.transactionTimeout = timeout;
    }

    /** Defines and enables zones directly, as if made by hand on the switch (foreign to vfzone). */
    private volatile String firmwareVersion = "v9.1.1b";

    /** The Fabric OS version the switch reports, as {@code firmware-version} of fibrechannel-switch. */
    public void firmwareVersion(String version) {
        this.firmwareVersion = version;
    }

    /**
     * A peer zone the storage target created for itself (target-driven zoning), enabled in {@code cfg}: zone-type 2,
     * and on FOS 9.0+ {@code zone-type-string} "target-created-peer-zone".
     */
    public synchronized void seedTargetCreatedPeerZone(int vfId, String cfg, String zone, String principal,
                                                       List<String> members) {
        LogicalSwitch ls = switches.get(vfId);
        ZoneDef def = new ZoneDef();
        def.type = 2;
        def.members.addAll(members);
        def.principals.add(principal);
        ls.committed.zones.put(zone, def);
        ls.committed.cfgs.computeIfAbsent(cfg, k -> new ArrayList<>()).add(zone);
        enable(ls, ls.committed, cfg);
    }

    public synchronized void seedZone(int vfId, String cfg, String zone, List<String> members) {
        LogicalSwitch ls = switches.get(vfId);
        ZoneDef def = new ZoneDef();
        def.members.addAll(members);
        ls.committed.zones.put(zone, def);
        ls.committed.cfgs.computeIfAbsent(cfg, k -> new ArrayList<>()).add(zone);
        enable(ls, ls.committed, cfg);
    }

    /** A device logs in (FLOGI/FDISC) on the logical switch: it appears in the name server. */
    public synchronized void login(int vfId, String wwpn, String nodeName, String fcid, int portIndex,
                                   String symbolicName, String fc4Features) {
        switches.get(vfId).logins.put(wwpn, new String[] {wwpn, nodeName, fcid, String.valueOf(portIndex),
                symbolicName, fc4Features});
        port(vfId, portIndex);
    }

    /**
     * The switch's own view of a device (FOS 9.0 traffic controller): its congestion states ("credit-stalled",
     * "lost-credit", "oversubscribed") and congestion FPINs sent to it.
     */
    public synchronized void deviceCongestion(int vfId, String wwpn, long fpinsSent, String... states) {
        LogicalSwitch ls = switches.get(vfId);
        ls.congestionStates.put(wwpn, List.of(states));
        ls.fpinCongestionSent.merge(wwpn, fpinsSent, Long::sum);
    }

    /** The switch quarantines a slow-drain device (SDDQ), as the name server then says. */
    public synchronized void quarantine(int vfId, String wwpn, boolean on) {
        if (on) {
            switches.get(vfId).quarantined.add(wwpn);
        } else {
            switches.get(vfId).quarantined.remove(wwpn);
        }
    }

    /** The port index the device logged in on, or null when it is not logged in. */
    public synchronized Integer portIndexOf(int vfId, String wwpn) {
        String[] login = switches.get(vfId).logins.get(wwpn);
        return login == null ? null : Integer.valueOf(login[3]);
    }

    /** The port of that index on the logical switch (made when first asked for), to play a scenario on it. */
    public synchronized PortStats port(int vfId, int index) {
        return switches.get(vfId).ports.computeIfAbsent(index, i -> new PortStats());
    }

    /** The F_Port's WWN of a port index, as the name server gives it in {@code fabric-port-name}. */
    static String portWwn(int vfId, int index) {
        return String.format("20:%02x:00:05:1e:%02x:00:%02x", index & 0xff, vfId & 0xff, (index >> 8) & 0xff);
    }

    public synchronized void logout(int vfId, String wwpn) {
        switches.get(vfId).logins.remove(wwpn);
    }

    /** Deletes a zone and re-enables the cfg directly on the switch, as an administrator at the CLI would. */
    public synchronized void deleteZoneByHand(int vfId, String zone) {
        LogicalSwitch ls = switches.get(vfId);
        ls.committed.zones.remove(zone);
        ls.committed.cfgs.values().forEach(members -> members.remove(zone));
        if (ls.effectiveCfg != null) {
            enable(ls, ls.committed, ls.effectiveCfg);
        }
    }

    /** Replaces a zone member by another name and re-enables the cfg, as an administrator at the CLI would. */
    public synchronized void replaceZoneMemberByHand(int vfId, String zone, String member, String replacement) {
        LogicalSwitch ls = switches.get(vfId);
        List<String> members = ls.committed.zones.get(zone).members;
        members.set(members.indexOf(member), replacement);
        if (ls.effectiveCfg != null) {
            enable(ls, ls.committed, ls.effectiveCfg);
        }
        ls.checksum = checksum(ls);
    }

    public synchronized void seedAlias(int vfId, String alias, String wwn) {
        LogicalSwitch ls = switches.get(vfId);
        ls.committed.aliases.put(alias, new ArrayList<>(List.of(wwn)));
        ls.checksum = checksum(ls);
    }

    /** Another administrator opens a transaction on the logical switch and keeps it. */
    public synchronized void openForeignTransaction(int vfId) {
        openForeignTransaction(vfId, "other-admin", "192.0.2.15", "SANnav");
    }

    /** Another client opens a transaction and keeps it; FOS 9.0+ reports who in the {@code fabric-lock} container. */
    public synchronized void openForeignTransaction(int vfId, String user, String address, String application) {
        LogicalSwitch ls = switches.get(vfId);
        ls.pending = ls.committed.copy();
        ls.transactionOwner = "other-admin-session";
        ls.transactionStarted = clock.instant();
        ls.lockUser = user;
        ls.lockAddress = address;
        ls.lockApplication = application;
    }

    public synchronized String checksum(int vfId) {
        return switches.get(vfId).checksum;
    }

    /** The most REST sessions that were open at the same time. */
    public synchronized int mostSessionsAtOnce() {
        return mostSessionsAtOnce;
    }

    public synchronized boolean transactionOpen(int vfId) {
        LogicalSwitch ls = switches.get(vfId);
        expireTransaction(ls);
        return ls.transactionOwner != null;
    }

    public synchronized int openSessions() {
        return sessions.size();
    }

    /** Effective (enabled) zones and their resolved members. */
    public synchronized Map<String, List<String>> effectiveZones(int vfId) {
        return new TreeMap<>(switches.get(vfId).effectiveZones);
    }

    public synchronized Set<String> definedZones(int vfId) {
        return new TreeSet<>(switches.get(vfId).committed.zones.keySet());
    }

    public synchronized Set<String> definedAliases(int vfId) {
        return new TreeSet<>(switches.get(vfId).committed.aliases.keySet());
    }

    public synchronized String effectiveCfg(int vfId) {
        return switches.get(vfId).effectiveCfg;
    }

    // ---- protocol ----------------------------------------------------------------------------------------------

    @Override
    protected Reply handle(String method, URI uri, Map<String, String> headers, String body) {
        if (answerHtml) {
            return Reply.of(200, "text/html; charset=iso-8859-1", "<html><body><h1>Web Tools</h1></body></html>");
        }
        String path = uri.getPath();
        if (path.equals("/rest/login") && method.equals("POST")) {
            return login(headers.get("Authorization"));
        }
        String session = session(headers.get("Authorization"));
        if (session == null) {
            return error(401, "Authentication failure", 2, "Invalid session key or session expired");
        }
        sessions.put(session, clock.instant());
        if (path.equals("/rest/logout") && method.equals("POST")) {
            sessions.remove(session);
            switches.values().forEach(ls -> {
                if (session.equals(ls.transactionOwner)) {
                    abort(ls);
                }
            });
            return Reply.of(204, null, null);
        }
        if (path.equals("/rest/running/brocade-name-server/fibrechannel-name-server") && method.equals("GET")) {
            Integer vf = vfId(uri.getQuery());
            if (vf == null || !switches.containsKey(vf)) {
                return error(400, "Invalid VF ID", -1, "VF ID " + vfIdText(uri.getQuery()) + " is not configured");
            }
            ArrayNode entries = Json.MAPPER.createArrayNode();
            for (String[] login : switches.get(vf).logins.values()) {
                ObjectNode entry = entries.addObject();
                entry.put("port-id", login[2]);
                entry.put("port-name", login[0]);
                entry.put("node-name", login[1]);
                entry.put("port-symbolic-name", login[4]);
                entry.put("node-symbolic-name", "");
                entry.put("fc4-features", login[5]);
                entry.put("port-index", Integer.parseInt(login[3]));
                entry.put("fabric-port-name", portWwn(vf, Integer.parseInt(login[3])));
                entry.put("slow-drain-device-quarantine", switches.get(vf).quarantined.contains(login[0]) ? "yes"
                        : "no");
            }
            if (entries.isEmpty()) {
                return error(404, "Not Found", -1, "No entries found");
            }
            ObjectNode response = Json.MAPPER.createObjectNode();
            listOfObjects(response.putObject("Response"), "fibrechannel-name-server", entries);
            return yang(200, response);
        }
        if (path.equals("/rest/running/brocade-fabric-traffic-controller/fabric-traffic-controller-device")
                && method.equals("GET")) {
            Integer vf = vfId(uri.getQuery());
            if (vf == null || !switches.containsKey(vf)) {
                return error(400, "Invalid VF ID", -1, "VF ID " + vfIdText(uri.getQuery()) + " is not configured");
            }
            if (!fos9()) {
                return error(404, "Not Found", 404, "Resource not found: " + path);
            }
            LogicalSwitch ls = switches.get(vf);
            ArrayNode entries = Json.MAPPER.createArrayNode();
            for (String[] login : ls.logins.values()) {
                ObjectNode entry = entries.addObject();
                entry.put("n-port-id", login[2]);
                entry.put("n-port-wwn", login[0]);
                entry.put("f-port-wwn", portWwn(vf, Integer.parseInt(login[3])));
                entry.put("port-index", Integer.parseInt(login[3]));
                entry.putObject("rdf-registrations").putArray("rdf-registration").add("fpin-congestion")
                        .add("fpin-peer-congestion");
                List<String> states = ls.congestionStates.getOrDefault(login[0], List.of());
                if (!states.isEmpty()) {
                    ArrayNode list = entry.putObject("congestion-states").putArray("congestion-state");
                    states.forEach(list::add);
                }
                ObjectNode sent = entry.putObject("fpin-send-statistics");
                sent.put("congestion-count", ls.fpinCongestionSent.getOrDefault(login[0], 0L));
                sent.put("peer-congestion-count", 0);
                sent.put("link-integrity-count", 0);
                sent.put("delivery-count", 0);
            }
            if (entries.isEmpty()) {
                return error(404, "Not Found", -1, "No entries found");
            }
            ObjectNode response = Json.MAPPER.createObjectNode();
            listOfObjects(response.putObject("Response"), "fabric-traffic-controller-device", entries);
            return yang(200, response);
        }
        if ((path.equals("/rest/running/brocade-interface/fibrechannel")
                || path.equals("/rest/running/brocade-interface/fibrechannel-statistics")) && method.equals("GET")) {
            Integer vf = vfId(uri.getQuery());
            if (vf == null || !switches.containsKey(vf)) {
                return error(400, "Invalid VF ID", -1, "VF ID " + vfIdText(uri.getQuery()) + " is not configured");
            }
            boolean statistics = path.endsWith("-statistics");
            ArrayNode entries = Json.MAPPER.createArrayNode();
            switches.get(vf).ports.forEach((index, stats) -> {
                synchronized (stats) {
                    ObjectNode entry = entries.addObject();
                    entry.put("name", "0/" + index);
                    if (statistics) {
                        entry.put("bb-credit-zero", stats.creditZero);
                        entry.put("class3-out-discards", stats.discards);
                        entry.put("frames-timed-out", stats.timeouts);
                        entry.put("crc-errors", stats.crcErrors);
                        entry.put("link-failures", stats.linkFailures);
                        entry.put("loss-of-sync", 0);
                        entry.put("loss-of-signal", 0);
                        entry.put("invalid-transmission-words", 0);
                        entry.put("out-octets", stats.txBytes);
                        entry.put("in-octets", stats.rxBytes);
                    } else {
                        entry.put("wwn", portWwn(vf, index));
                        entry.put("default-index", index);
                        entry.put("operational-status", stats.online ? 2 : 1);
                    }
                }
            });
            if (entries.isEmpty()) {
                return error(404, "Not Found", -1, "No entries found");
            }
            ObjectNode response = Json.MAPPER.createObjectNode();
            listOfObjects(response.putObject("Response"), statistics ? "fibrechannel-statistics" : "fibrechannel",
                    entries);
            return yang(200, response);
        }
        if (path.equals(newModules() ? "/rest/running/brocade-fibrechannel-switch/fibrechannel-switch"
                : "/rest/running/switch/fibrechannel-switch") && method.equals("GET")) {
            Integer vf = vfId(uri.getQuery());
            if (uri.getQuery() != null && uri.getQuery().contains("vf-id=") && (vf == null || !switches.containsKey(vf))) {
                return error(400, "Invalid VF ID", -1, "VF ID " + vfIdText(uri.getQuery()) + " is not configured");
            }
            ObjectNode response = Json.MAPPER.createObjectNode();
            ObjectNode sw = response.putObject("Response").putObject("fibrechannel-switch");
            sw.put("name", "10:00:c4:f5:7c:00:00:" + String.format("%02x", vf == null ? 1 : vf));
            sw.put("firmware-version", firmwareVersion);
            sw.put("user-friendly-name", "emulated-fos" + (vf == null ? "" : "-vf" + vf));
            if (vf != null) {
                sw.put("vf-id", vf);
            }
            return yang(200, response);
        }
        String zonePath = newModules() ? ZONE_PATH : OLD_ZONE_PATH;
        if (!path.startsWith(zonePath)) {
            return error(404, "Not Found", 404, "Resource not found: " + path);
        }
        String accept = headers.getOrDefault("Accept", "");
        if (!xmlOnly() && (!accept.contains("json") || answerXml)) {
            return Reply.of(200, "application/yang-data+xml", "<Response><error>XML is the default</error></Response>");
        }
        Integer vfId = vfId(uri.getQuery());
        if (vfId == null || !switches.containsKey(vfId)) {
            return error(400, "Invalid VF ID", -1, "VF ID " + vfIdText(uri.getQuery()) + " is not configured on this "
                    + "chassis");
        }
        LogicalSwitch ls = switches.get(vfId);
        expireTransaction(ls);
        String resource = path.substring(zonePath.length());
        try {
            return switch (method) {
                case "GET" -> get(ls, session, resource);
                case "POST", "PATCH", "DELETE" -> resource.startsWith("effective-configuration")
                        ? effective(ls, session, method, resource, body)
                        : defined(ls, session, method, resource, body);
                default -> error(405, "Method Not Allowed", 405, method + " is not allowed");
            };
        } catch (ZoningError e) {
            return error(e.status, e.getMessage(), e.code, e.getMessage());
        }
    }

    private Reply login(String authorization) {
        String credentials = null;
        if (authorization != null) {
            for (String scheme : List.of("Basic ", "Custom_Basic ")) {
                if (authorization.startsWith(scheme)) {
                    try {
                        credentials = new String(Base64.getDecoder().decode(authorization.substring(scheme.length())),
                                StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException ignored) {
                        credentials = null;
                    }
                }
            }
        }
        if (credentials == null || !credentials.equals(username + ":" + password)) {
            return error(401, "Authentication failure", 1, "Invalid username or password");
        }
        if (sessions.size() >= MAX_SESSIONS) {
            return error(403, "Max limit for REST sessions reached", 14, "Max limit for REST sessions reached");
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        sessions.put(token, clock.instant());
        mostSessionsAtOnce = Math.max(mostSessionsAtOnce, sessions.size());
        return new Reply(200, (xmlOnly() ? YANG_XML : YANG_JSON) + ";version=1.0", "",
                Map.of("Authorization", "Custom_Basic " + token));
    }

    private String session(String authorization) {
        if (authorization == null || !authorization.startsWith("Custom_Basic ")) {
            return null;
        }
        String token = authorization.substring("Custom_Basic ".length());
        return sessions.containsKey(token) ? token : null;
    }

    private Reply get(LogicalSwitch ls, String session, String resource) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        if (resource.equals("fabric-lock")) {
            if (ls.transactionOwner == null || !fos9()) {
                return error(404, "Not Found", -1, "No entries found");
            }
            ObjectNode lock = response.putObject("Response").putObject("fabric-lock");
            lock.put("lock-principal-domain-id", 1);
            lock.put("lock-principal-transaction-token", Math.abs(ls.transactionOwner.hashCode()));
            lock.put("timeout", transactionTimeout.toSeconds());
            lock.put("remaining-time", Math.max(0, transactionTimeout.toSeconds()
                    - Duration.between(ls.transactionStarted, clock.instant()).toSeconds()));
            lock.put("client-role", "admin");
            boolean ours = session.equals(ls.transactionOwner);
            lock.put("client-user-name", ours ? username : ls.lockUser);
            lock.put("client-ip-address", ours ? "127.0.0.1" : ls.lockAddress);
            lock.put("client-application-name", ours ? "vfzone" : ls.lockApplication);
            lock.put("client-interface", "REST");
            return yang(200, response);
        }
        if (resource.startsWith("effective-configuration")) {
            ObjectNode effective = Json.MAPPER.createObjectNode();
            effective.put("checksum", ls.checksum);
            if (!resource.endsWith("/checksum")) {
                if (ls.effectiveCfg != null) {
                    effective.put("cfg-name", ls.effectiveCfg);
                }
                effective.put("default-zone-access", 0);
                long committedSize = dbSize(ls.committed);
                effective.put("db-max", ls.dbMax);
                effective.put("db-avail", ls.dbMax - committedSize);
                effective.put("db-committed", committedSize);
                effective.put("db-transaction", ls.pending == null ? 0 : dbSize(ls.pending));
                effective.put("transaction-token", ls.transactionOwner == null ? 0 : Math.abs(ls.transactionOwner.hashCode()));
                ArrayNode enabled = Json.MAPPER.createArrayNode();
                ls.effectiveZones.forEach((name, members) -> {
                    ObjectNode zone = enabled.addObject();
                    zone.put("zone-name", name);
                    zone.put("zone-type", ls.committed.zones.containsKey(name) ? ls.committed.zones.get(name).type : 0);
                    list(zone.putObject("member-entry"), "entry-name", members);
                });
                listOfObjects(effective, "enabled-zone", enabled);
            }
            response.set("effective-configuration", effective);
        } else if (resource.startsWith("defined-configuration")) {
            Db db = session.equals(ls.transactionOwner) ? ls.pending : ls.committed;
            ObjectNode defined = Json.MAPPER.createObjectNode();
            ArrayNode cfgs = Json.MAPPER.createArrayNode();
            db.cfgs.forEach((name, zones) -> {
                ObjectNode cfg = cfgs.addObject();
                cfg.put("cfg-name", name);
                list(cfg.putObject("member-zone"), "zone-name", zones);
            });
            ArrayNode zones = Json.MAPPER.createArrayNode();
            db.zones.forEach((name, def) -> {
                ObjectNode zone = zones.addObject();
                zone.put("zone-name", name);
                zone.put("zone-type", def.type);
                if (fos9()) {
                    zone.put("zone-type-string", def.type == 2 ? "target-created-peer-zone"
                            : def.type == 1 ? "user-created-peer-zone" : "zone");
                }
                ObjectNode entry = zone.putObject("member-entry");
                list(entry, "entry-name", def.members);
                if (!def.principals.isEmpty()) {
                    list(entry, "principal-entry-name", def.principals);
                }
            });
            ArrayNode aliases = Json.MAPPER.createArrayNode();
            db.aliases.forEach((name, members) -> {
                ObjectNode alias = aliases.addObject();
                alias.put("alias-name", name);
                list(alias.putObject("member-entry"), "alias-entry-name", members);
            });
            String sub = resource.substring("defined-configuration".length());
            if (sub.equals("/zone") || sub.equals("/alias") || sub.equals("/cfg")) {
                ArrayNode part = switch (sub) {
                    case "/zone" -> zones;
                    case "/alias" -> aliases;
                    default -> cfgs;
                };
                if (part.isEmpty()) {
                    return error(404, "Not Found", -1, "No entries found");
                }
                listOfObjects(response, sub.substring(1), part);
            } else {
                listOfObjects(defined, "cfg", cfgs);
                listOfObjects(defined, "zone", zones);
                listOfObjects(defined, "alias", aliases);
                response.set("defined-configuration", defined);
            }
        } else {
            return error(404, "Not Found", -1, "Resource not found");
        }
        ObjectNode wrapper = Json.MAPPER.createObjectNode();
        wrapper.set("Response", response);
        return yang(200, wrapper);
    }

    private Reply defined(LogicalSwitch ls, String session, String method, String resource, String body) {
        if (!resource.equals("defined-configuration")) {
            return error(400, "Bad Request", -1, "Use the defined-configuration container");
        }
        JsonNode root = parse(body).path("defined-configuration");
        if (root.isMissingNode()) {
            return error(400, "Bad Request", -1, "The body must hold a defined-configuration container");
        }
        Db db = openTransaction(ls, session);
        for (JsonNode alias : Json.items(root.get("alias"))) {
            String name = alias.path("alias-name").asString();
            List<String> members = Json.strings(alias.path("member-entry").get("alias-entry-name"));
            switch (method) {
                case "POST" -> {
                    checkNewName(db, name, "alias");
                    for (String member : members) {
                        if (!WWN.matcher(member).matches() && !DOMAIN_PORT.matcher(member).matches()) {
                            throw new ZoningError(400, -1, "Invalid alias member " + member + ": not a WWN or D,P");
                        }
                    }
                    addAll(db.aliases.computeIfAbsent(name, k -> new ArrayList<>()), members);
                }
                case "PATCH" -> {
                    requireExists(db.aliases.containsKey(name), "Alias " + name);
                    db.aliases.put(name, new ArrayList<>(members));
                }
                default -> {
                    requireExists(db.aliases.containsKey(name), "Alias " + name);
                    if (members.isEmpty()) {
                        for (ZoneDef zone : db.zones.values()) {
                            if (zone.members.contains(name) || zone.principals.contains(name)) {
                                throw new ZoningError(400, -1, "Alias " + name + " is a member of a zone");
                            }
                        }
                        db.aliases.remove(name);
                    } else {
                        db.aliases.get(name).removeAll(members);
                    }
                }
            }
        }
        for (JsonNode zone : Json.items(root.get("zone"))) {
            String name = zone.path("zone-name").asString();
            List<String> members = Json.strings(zone.path("member-entry").get("entry-name"));
            List<String> principals = Json.strings(zone.path("member-entry").get("principal-entry-name"));
            int type = zone.path("zone-type").asInt(0);
            switch (method) {
                case "POST", "PATCH" -> {
                    if ("POST".equals(method) && !db.zones.containsKey(name)) {
                        checkNewName(db, name, "zone");
                    }
                    if ("PATCH".equals(method)) {
                        requireExists(db.zones.containsKey(name), "Zone " + name);
                    }
                    if (!principals.isEmpty() && type != 1) {
                        throw new ZoningError(400, -1, "Principal members are allowed only in a peer zone");
                    }
                    for (String member : concat(members, principals)) {
                        if (!WWN.matcher(member).matches() && !DOMAIN_PORT.matcher(member).matches()
                                && !db.aliases.containsKey(member)) {
                            throw new ZoningError(400, -1, "Invalid zone member " + member
                                    + ": not a WWN, D,P or defined alias");
                        }
                    }
                    ZoneDef def = "PATCH".equals(method) ? new ZoneDef()
                            : db.zones.computeIfAbsent(name, k -> new ZoneDef());
                    def.type = type;
                    addAll(def.members, members);
                    addAll(def.principals, principals);
                    db.zones.put(name, def);
                }
                default -> {
                    requireExists(db.zones.containsKey(name), "Zone " + name);
                    if (members.isEmpty() && principals.isEmpty()) {
                        for (Map.Entry<String, List<String>> cfg : db.cfgs.entrySet()) {
                            if (cfg.getValue().contains(name)) {
                                throw new ZoningError(400, -1, "Zone " + name + " is a member of cfg " + cfg.getKey());
                            }
                        }
                        db.zones.remove(name);
                    } else {
                        db.zones.get(name).members.removeAll(members);
                        db.zones.get(name).principals.removeAll(principals);
                    }
                }
            }
        }
        for (JsonNode cfg : Json.items(root.get("cfg"))) {
            String name = cfg.path("cfg-name").asString();
            List<String> zones = Json.strings(cfg.path("member-zone").get("zone-name"));
            switch (method) {
                case "POST", "PATCH" -> {
                    if (!db.cfgs.containsKey(name)) {
                        checkNewName(db, name, "cfg");
                    }
                    for (String zone : zones) {
                        if (!db.zones.containsKey(zone)) {
                            throw new ZoningError(400, -1, "Zone " + zone + " does not exist");
                        }
                    }
                    List<String> members = "PATCH".equals(method) ? new ArrayList<>()
                            : db.cfgs.computeIfAbsent(name, k -> new ArrayList<>());
                    addAll(members, zones);
                    db.cfgs.put(name, members);
                }
                default -> {
                    requireExists(db.cfgs.containsKey(name), "Cfg " + name);
                    if (zones.isEmpty()) {
                        if (name.equals(ls.effectiveCfg)) {
                            throw new ZoningError(400, -1, "Cfg " + name + " is the effective configuration");
                        }
                        db.cfgs.remove(name);
                    } else {
                        db.cfgs.get(name).removeAll(zones);
                    }
                }
            }
        }
        return Reply.of("POST".equals(method) ? 201 : 204, null, null);
    }

    private Reply effective(LogicalSwitch ls, String session, String method, String resource, String body) {
        if (!"PATCH".equals(method)) {
            return error(405, "Method Not Allowed", 405, method + " is not allowed on the effective configuration");
        }
        JsonNode root = parse(body).path("effective-configuration");
        int action = root.path("cfg-action").asInt(0);
        String cfg = Json.text(root, "cfg-name");
        String checksum = Json.text(root, "checksum");
        if (action == 4) {
            if (ls.transactionOwner == null) {
                throw new ZoningError(400, -1, "No outstanding transaction to abort");
            }
            abort(ls);
            return Reply.of(204, null, null);
        }
        if (ls.transactionOwner != null && !session.equals(ls.transactionOwner)) {
            throw new ZoningError(400, -3, "There is an outstanding admin transaction, and you are not the owner");
        }
        if (checksum == null || !checksum.equals(ls.checksum)) {
            throw new ZoningError(400, -1, "The checksum does not match the zone database: it was changed since it "
                    + "was read");
        }
        Db db = ls.pending != null ? ls.pending : ls.committed;
        if (dbSize(db) > ls.dbMax) {
            throw new ZoningError(400, -1, "Zone database size " + dbSize(db) + " exceeds the maximum of " + ls.dbMax
                    + " bytes");
        }
        if (cfg != null) {
            if (!db.cfgs.containsKey(cfg)) {
                throw new ZoningError(400, -1, "Cfg " + cfg + " does not exist");
            }
            if (db.cfgs.get(cfg).isEmpty()) {
                throw new ZoningError(400, -1, "Cfg " + cfg + " has no member zones");
            }
            ls.committed = db;
            enable(ls, db, cfg);
        } else if (action == 1) {
            ls.committed = db;
            ls.checksum = checksum(ls);
        } else if (action == 2) {
            ls.committed = db;
            ls.effectiveCfg = null;
            ls.effectiveZones = new TreeMap<>();
            ls.checksum = checksum(ls);
        } else {
            throw new ZoningError(400, -1, "Unsupported cfg-action " + action);
        }
        ls.pending = null;
        ls.transactionOwner = null;
        return Reply.of(204, null, null);
    }

    @Override
    protected void foreignTransaction() {
        openForeignTransaction(defaultVfId, "jdoe", "192.0.2.44", "SANnav");
    }

    @Override
    protected void concurrentChange() {
        concurrentChanges++;
        LogicalSwitch ls = switches.get(defaultVfId);
        ZoneDef def = new ZoneDef();
        def.members.add(String.format("10:00:00:00:c9:00:%02x:01", concurrentChanges & 0xff));
        String zone = "other_admin_zone_" + concurrentChanges;
        ls.committed.zones.put(zone, def);
        String cfg = ls.effectiveCfg != null ? ls.effectiveCfg : "other_admin_cfg";
        ls.committed.cfgs.computeIfAbsent(cfg, k -> new ArrayList<>()).add(zone);
        enable(ls, ls.committed, cfg);
    }

    @Override
    protected Reply injectedFailure(int status, String message) {
        return error(status, message, -1, message);
    }

    private void enable(LogicalSwitch ls, Db db, String cfg) {
        ls.effectiveCfg = cfg;
        Map<String, List<String>> effective = new TreeMap<>();
        for (String zoneName : db.cfgs.get(cfg)) {
            ZoneDef zone = db.zones.get(zoneName);
            Set<String> resolved = new LinkedHashSet<>();
            for (String member : concat(zone.principals, zone.members)) {
                resolved.addAll(db.aliases.getOrDefault(member, List.of(member)));
            }
            effective.put(zoneName, new ArrayList<>(resolved));
        }
        ls.effectiveZones = effective;
        ls.checksum = checksum(ls);
    }

    private Db openTransaction(LogicalSwitch ls, String session) {
        if (ls.transactionOwner != null && !ls.transactionOwner.equals(session)) {
            throw new ZoningError(400, -3, "There is an outstanding admin transaction, and you are not the owner");
        }
        if (ls.transactionOwner == null) {
            ls.pending = ls.committed.copy();
            ls.transactionOwner = session;
            ls.transactionStarted = clock.instant();
        }
        return ls.pending;
    }

    private void expireTransaction(LogicalSwitch ls) {
        if (ls.transactionOwner != null
                && ls.transactionStarted.plus(transactionTimeout).isBefore(clock.instant())) {
            abort(ls);
        }
    }

    private static void abort(LogicalSwitch ls) {
        ls.pending = null;
        ls.transactionOwner = null;
        ls.transactionStarted = null;
    }

    private static void checkNewName(Db db, String name, String kind) {
        ZoneNames.problem(name).ifPresent(problem -> {
            throw new ZoningError(400, -1, "Invalid " + kind + " name " + name + ": " + problem);
        });
        boolean taken = ("zone".equals(kind) ? db.aliases.containsKey(name) || db.cfgs.containsKey(name)
                : "alias".equals(kind) ? db.zones.containsKey(name) || db.cfgs.containsKey(name)
                : db.zones.containsKey(name) || db.aliases.containsKey(name));
        if (taken) {
            throw new ZoningError(400, -1, "Name " + name + " is already used by another zone object");
        }
    }

    private static void requireExists(boolean exists, String what) {
        if (!exists) {
            throw new ZoningError(404, -1, what + " not found");
        }
    }

    private static String checksum(LogicalSwitch ls) {
        StringBuilder text = new StringBuilder();
        ls.committed.aliases.forEach((k, v) -> text.append("a:").append(k).append(v).append('\n'));
        ls.committed.zones.forEach((k, v) -> text.append("z:").append(k).append(v.type).append(v.principals)
                .append(v.members).append('\n'));
        ls.committed.cfgs.forEach((k, v) -> text.append("c:").append(k).append(v).append('\n'));
        text.append("e:").append(ls.effectiveCfg);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Integer vfId(String query) {
        if (query == null || !query.contains("vf-id=")) {
            return defaultVfId;
        }
        try {
            return Integer.parseInt(vfIdText(query));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String vfIdText(String query) {
        int start = query.indexOf("vf-id=") + "vf-id=".length();
        int end = query.indexOf('&', start);
        return end < 0 ? query.substring(start) : query.substring(start, end);
    }

    private void list(ObjectNode parent, String key, List<String> values) {
        if (singletonsAsObjects && values.size() == 1) {
            parent.put(key, values.get(0));
        } else {
            ArrayNode array = parent.putArray(key);
            values.forEach(array::add);
        }
    }

    private void listOfObjects(ObjectNode parent, String key, ArrayNode values) {
        if (values.isEmpty()) {
            return;
        }
        if (singletonsAsObjects && values.size() == 1) {
            parent.set(key, values.get(0));
        } else {
            parent.set(key, values);
        }
    }

    /** A request body: XML on releases before 8.2.1c, JSON after (the body's YANG tree in the JSON encoding). */
    private JsonNode parse(String body) {
        if (xmlOnly()) {
            try {
                return body == null || body.isBlank() ? Json.MAPPER.createObjectNode()
                        : Xml.yangToJson(Xml.parse(body.getBytes(StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                throw new ZoningError(400, -1, "Malformed XML body: this release speaks XML only");
            }
        }
        try {
            return Json.MAPPER.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (RuntimeException e) {
            throw new ZoningError(400, -1, "Malformed JSON body");
        }
    }

    /** A YANG tree in the encoding this release answers in. */
    private Reply yang(int status, ObjectNode tree) {
        return xmlOnly() ? Reply.of(status, YANG_XML, Xml.yangFromJson(tree))
                : Reply.of(status, YANG_JSON, tree.toString());
    }

    private static final Pattern RELEASE = Pattern.compile("^v?(\\d+)\\.(\\d+)\\.(\\d+)([a-z]?)");

    /** The release as one comparable number: v8.2.1c is 8_02_01_3. */
    private int release() {
        Matcher m = RELEASE.matcher(firmwareVersion);
        if (!m.find()) {
            return Integer.MAX_VALUE;
        }
        int letter = m.group(4).isEmpty() ? 0 : m.group(4).charAt(0) - 'a' + 1;
        return ((Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(m.group(2))) * 100
                + Integer.parseInt(m.group(3))) * 100 + letter;
    }

    /** brocade-zone and brocade-fibrechannel-switch from 8.2.1b; zoning and switch before. */
    private boolean newModules() {
        return release() >= 8_02_01_02;
    }

    /** The JSON encoding exists from 8.2.1c. */
    private boolean xmlOnly() {
        return release() < 8_02_01_03;
    }

    /** fabric-lock and zone-type-string from FOS 9.0. */
    private boolean fos9() {
        return release() >= 9_00_00_00;
    }

    private static void addAll(List<String> target, List<String> values) {
        for (String value : values) {
            if (!target.contains(value)) {
                target.add(value);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private Reply error(int status, String tag, int code, String message) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        error.put("error-type", "application");
        error.put("error-tag", "operation-failed");
        error.put("error-app-tag", "Error");
        error.put("error-message", message);
        ObjectNode info = error.putObject("error-info");
        info.put("error-code", code);
        info.put("error-module", "zone");
        ObjectNode errors = Json.MAPPER.createObjectNode();
        errors.putObject("errors").putArray("error").add(error);
        return yang(status, errors);
    }

    private static final class ZoningError extends RuntimeException {
        final int status;
        final int code;

        ZoningError(int status, int code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }
}
