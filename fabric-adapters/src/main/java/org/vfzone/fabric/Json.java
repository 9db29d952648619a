package org.vfzone.fabric;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON helpers for switch answers, where a list of one often arrives as a bare object or scalar. */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /** The entries of a list that may be missing, null, a single object, or an array. */
    public static List<JsonNode> items(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return items;
        }
        if (node.isArray()) {
            node.values().forEach(items::add);
        } else {
            items.add(node);
        }
        return items;
    }

    /** The strings of a leaf-list that may be missing, a single string, or an array of strings. */
    public static List<String> strings(JsonNode node) {
        return items(node).stream().map(JsonNode::asString).toList();
    }

    /** The first of several alternative keys present on {@code node} (key names changed across releases). */
    public static String text(JsonNode node, String... keys) {
        for (String key : keys) {
            JsonNode value = node.get(key);
            if (value != null && !value.isNull()) {
                return value.asString();
            }
        }
        return null;
    }

    /**
     * A switch counter under the first of {@code keys} present: a JSON number or its text (XML answers), read as an
     * unsigned 64-bit value; null where not reported or not a number.
     */
    public static Long counter(JsonNode node, String... keys) {
        String text = text(node, keys);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
