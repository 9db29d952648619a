package org.vfzone.traffic;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.vfzone.fabric.Json;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFormatException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a batch of counter snapshots as a JSON array, NDJSON (one object per line) or CSV with a header row. Field
 * names are the fc_host file names ({@code fcp_input_requests}, {@code rx_words}, …) plus {@code wwpn} and
 * {@code timestamp}. Counters may be numbers, decimal strings or the sysfs form {@code 0x1a2b}; the all-ones value
 * ({@code 0xffffffffffffffff}) means "not supported" and is stored as missing. Each line is parsed on its own, so
 * one bad line names its number and reason without hiding the others.
 */
final class SnapshotParser {

    /** A parsed line: the snapshot, or why it was refused. */
    record Line(int number, Snapshot snapshot, String error) {
    }

    static final List<String> COUNTERS = List.of("fcp_input_requests", "fcp_output_requests", "fcp_input_megabytes",
            "fcp_output_megabytes", "tx_frames", "rx_frames", "tx_words", "rx_words", "error_frames",
            "link_failure_count", "loss_of_sync_count", "loss_of_signal_count", "invalid_crc_count", "dumped_frames",
            "seconds_since_last_reset");
    private static final BigInteger UNSUPPORTED = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private SnapshotParser() {
    }

    static List<Line> parse(String body, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.contains("csv")) {
            return csv(body);
        }
        if (type.contains("ndjson") || type.contains("jsonl") || (!body.stripLeading().startsWith("[")
                && body.strip().contains("\n"))) {
            return ndjson(body);
        }
        return jsonArray(body);
    }

    private static List<Line> jsonArray(String body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the body is not valid JSON: " + firstLine(e.getMessage()));
        }
        List<Line> lines = new ArrayList<>();
        List<JsonNode> items = Json.items(root);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            lines.add(line(i + 1, field -> item.has(field) && !item.get(field).isNull() ? item.get(field).asString()
                    : null));
        }
        return lines;
    }

    /** Lines are independent, so a large batch is parsed on all cores; the order is kept. */
    private static List<Line> ndjson(String body) {
        String[] rows = body.split("\r?\n");
        return java.util.stream.IntStream.range(0, rows.length)
                .parallel()
                .filter(i -> !rows[i].isBlank())
                .mapToObj(i -> ndjsonLine(i + 1, rows[i]))
                .toList();
    }

    private static Line ndjsonLine(int number, String row) {
        JsonNode item;
        try {
            item = Json.MAPPER.readTree(row);
        } catch (RuntimeException e) {
            return new Line(number, null, "not valid JSON");
        }
        if (!item.isObject()) {
            return new Line(number, null, "not a JSON object");
        }
        return line(number, field -> item.has(field) && !item.get(field).isNull() ? item.get(field).asString() : null);
    }

    private static List<Line> csv(String body) {
        List<Line> lines = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).get();
        try (Reader reader = new StringReader(body); CSVParser parser = CSVParser.parse(reader, format)) {
            Map<String, Integer> header = parser.getHeaderMap();
            if (!header.containsKey("wwpn") || !header.containsKey("timestamp")) {
                throw new IllegalArgumentException("the CSV header must name the columns wwpn and timestamp");
            }
            for (CSVRecord record : parser) {
                int number = (int) record.getRecordNumber() + 1;
                if (!record.isConsistent()) {
                    lines.add(new Line(number, null, "has " + record.size() + " columns, the header has "
                            + header.size()));
                    continue;
                }
                lines.add(line(number, field -> header.containsKey(field) && !record.get(field).isEmpty()
                        ? record.get(field) : null));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("the CSV cannot be read: " + e.getMessage());
        }
        return lines;
    }

    private static Line line(int number, Function<String, String> field) {
        String wwpnText = field.apply("wwpn");
        if (wwpnText == null) {
            return new Line(number, null, "wwpn is missing");
        }
        long initiator;
        try {
            initiator = Wwn.parse(wwpnText).value();
        } catch (WwnFormatException e) {
            return new Line(number, null, "wwpn is not a valid WWN: " + e.getMessage());
        }
        String tsText = field.apply("timestamp");
        if (tsText == null) {
            return new Line(number, null, "timestamp is missing");
        }
        Instant ts;
        try {
            ts = tsText.matches("^\\d+(\\.\\d+)?$")
                    ? Instant.ofEpochMilli((long) (Double.parseDouble(tsText) * 1000)) : Instant.parse(tsText);
        } catch (DateTimeParseException | NumberFormatException e) {
            return new Line(number, null, "timestamp '" + tsText + "' is neither ISO-8601 nor epoch seconds");
        }
        Long[] values = new Long[COUNTERS.size()];
        for (int i = 0; i < COUNTERS.size(); i++) {
            String text = field.apply(COUNTERS.get(i));
            if (text == null) {
                continue;
            }
            try {
                values[i] = counter(text);
            } catch (NumberFormatException e) {
                return new Line(number, null, COUNTERS.get(i) + " '" + text + "' is not a counter value");
            }
        }
        return new Line(number, new Snapshot(initiator, ts, values[0], values[1], values[2], values[3], values[4],
                values[5], values[6], values[7], values[8], values[9], values[10], values[11], values[12], values[13],
                values[14], field.apply("port_state")), null);
    }

    /** A u64 counter; null for the all-ones "not supported" value. */
    static Long counter(String text) {
        String trimmed = text.strip();
        // the common case without BigInteger: sysfs hex or a decimal that fits in 63 bits
        if ((trimmed.startsWith("0x") || trimmed.startsWith("0X")) && trimmed.length() > 2 && trimmed.length() <= 18) {
            String hex = trimmed.substring(2);
            if (hex.length() == 16 && hex.equalsIgnoreCase("ffffffffffffffff")) {
                return null;
            }
            return Long.parseUnsignedLong(hex, 16);
        }
        if (!trimmed.isEmpty() && trimmed.length() <= 18 && trimmed.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(trimmed);
        }
        BigInteger value = trimmed.startsWith("0x") || trimmed.startsWith("0X")
                ? new BigInteger(trimmed.substring(2), 16) : new BigInteger(trimmed);
        if (value.signum() < 0 || value.bitLength() > 64) {
            throw new NumberFormatException("out of range");
        }
        if (value.equals(UNSUPPORTED)) {
            return null;
        }
        return value.longValue();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
