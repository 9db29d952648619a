package org.vfzone.fabric.brocade;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vfzone.fabric.HttpConversation;
import org.vfzone.fabric.Json;
import org.vfzone.fabric.Xml;
import tools.jackson.databind.JsonNode;

/**
 * How a Fabric OS release speaks REST zoning. The zoning module's top container was {@code zoning} up to FOS 8.2.1a and
 * is {@code brocade-zone} from 8.2.1b (the YANG revision history); the JSON encoding exists from 8.2.1c, earlier
 * releases speak XML only. The driver reads the firmware version after signing in and speaks the dialect of that
 * release; the dialect is part of the state token of a read, so a plan previews the requests of the dialect it will be
 * pushed in, and a firmware upgrade between plan and push makes the plan stale.
 */
enum FosDialect {

    ZONING_XML("/rest/running/zoning/", "application/yang-data+xml", "FOS 8.2.0 to 8.2.1a"),
    BROCADE_ZONE_XML("/rest/running/brocade-zone/", "application/yang-data+xml", "FOS 8.2.1b"),
    BROCADE_ZONE_JSON("/rest/running/brocade-zone/", "application/yang-data+json", "FOS 8.2.1c and later");

    private static final Pattern VERSION = Pattern.compile("^v?(\\d+)\\.(\\d+)\\.(\\d+)([a-z]?)",
            Pattern.CASE_INSENSITIVE);
    /** Separates the checksum from the dialect in a state token; a checksum is 32 hex digits and never holds it. */
    private static final String TOKEN_SEPARATOR = "@";

    private final String zonePath;
    private final String mediaType;
    private final String releases;

    FosDialect(String zonePath, String mediaType, String releases) {
        this.zonePath = zonePath;
        this.mediaType = mediaType;
        this.releases = releases;
    }

    /** The dialect of a {@code firmware-version} such as "v8.2.1a" or "v9.1.1b"; the newest when it cannot be read. */
    static FosDialect of(String firmwareVersion) {
        Matcher m = VERSION.matcher(firmwareVersion == null ? "" : firmwareVersion.strip());
        if (!m.find()) {
            return BROCADE_ZONE_JSON;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int patch = Integer.parseInt(m.group(3));
        char letter = m.group(4).isEmpty() ? ' ' : m.group(4).toLowerCase(Locale.ROOT).charAt(0);
        int release = (major * 100 + minor) * 100 + patch;
        if (release < 80201 || (release == 80201 && letter < 'b')) {
            return ZONING_XML;
        }
        if (release == 80201 && letter == 'b') {
            return BROCADE_ZONE_XML;
        }
        return BROCADE_ZONE_JSON;
    }

    /** Where the zoning module's containers are: {@code /rest/running/zoning/} or {@code /rest/running/brocade-zone/}. */
    String zonePath() {
        return zonePath;
    }

    String mediaType() {
        return mediaType;
    }

    boolean xml() {
        return mediaType.endsWith("xml");
    }

    /** "zoning under /rest/running/zoning/ in XML (FOS 8.2.0 to 8.2.1a)". */
    String describe() {
        return "zoning under " + zonePath + " in " + (xml() ? "XML" : "JSON") + " (" + releases + ")";
    }

    /** A request body, built as the JSON encoding of its YANG tree, in this dialect's encoding. */
    String encode(JsonNode body) {
        return xml() ? Xml.yangFromJson(body) : body.toString();
    }

    /** Whether an answer is in this dialect's encoding (anything else is not the FOS REST API speaking). */
    boolean speaks(HttpConversation.Response response) {
        String type = response.contentType() == null ? "" : response.contentType().toLowerCase(Locale.ROOT);
        return xml() ? type.contains("xml") : type.contains("json");
    }

    /** An answer's YANG tree in the JSON encoding, whichever encoding it came in. */
    static JsonNode decode(HttpConversation.Response response) {
        String type = response.contentType() == null ? "" : response.contentType().toLowerCase(Locale.ROOT);
        if (type.contains("xml")) {
            return Xml.yangToJson(Xml.parse(response.body().getBytes(StandardCharsets.UTF_8)));
        }
        return Json.MAPPER.readTree(response.body());
    }

    /** The state token of a read: the switch's checksum, with the dialect where it is not the current one. */
    String token(String checksum) {
        return this == BROCADE_ZONE_JSON || checksum == null ? checksum : checksum + TOKEN_SEPARATOR + name();
    }

    /** The dialect a state token was read in. */
    static FosDialect ofToken(String token) {
        int at = token == null ? -1 : token.indexOf(TOKEN_SEPARATOR);
        if (at < 0) {
            return BROCADE_ZONE_JSON;
        }
        try {
            return valueOf(token.substring(at + 1));
        } catch (IllegalArgumentException unknown) {
            return BROCADE_ZONE_JSON;
        }
    }

    /** The switch's checksum in a state token. */
    static String checksumOf(String token) {
        int at = token == null ? -1 : token.indexOf(TOKEN_SEPARATOR);
        return at < 0 ? token : token.substring(0, at);
    }
}
