package org.vfzone.traffic;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.stereotype.Component;
import org.vfzone.collector.FcCounter;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFormatException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a batch of counter snapshots as a JSON array, NDJSON (one object per line) or CSV with a header row. Field
 * names are the fc_host file names ({@code fcp_input_requests}, {@code rx_words}, …) plus {@code wwpn} and
 * {@code timestamp}. Counters may be numbers, decimal strings or the sysfs form {@code 0x1a2b}; the all-ones value
 * ({@code 0xffffffffffffffff}) means "not supported" and is stored as missing. A bad line names its number and
 * reason without hiding the others: NDJSON whose every line holds one object is read with one parser, anything else
 * line by line, with the same result.
 */
@Component
class SnapshotParser {

    /** A parsed line: the snapshot, or why it was refused. */
    record Line(int number, Snapshot snapshot, String error) {
    }

    static final List<String> COUNTERS = FcCounter.ALL.stream()
            .map(FcCounter::fieldName).toList();
    /** Every field a snapshot reads, with its slot in a line's texts; the counters come last, in order. */
    private static final Map<String, Integer> FIELDS = fieldSlots();
    /** The column's width: fc_host port states are short words. */
    static final int MAX_PORT_STATE = 16;
    private static final int FIRST_COUNTER_SLOT = FIELDS.get(COUNTERS.get(0));

    private final JsonMapper json;
    /**
     * The mapper's factory with buffers kept per thread for NDJSON, which takes a parser per line: the shared pool's
     * queue was a tenth of a small request's CPU time.
     */
    private final JsonFactory lines;

    /** Reads with the application's JSON mapper (Spring Boot's), as every other JSON vfzone reads. */
    SnapshotParser(JsonMapper json) {
        this.json = json;
        this.lines = ((JsonFactory) json.tokenStreamFactory()).rebuild()
                .recyclerPool(JsonRecyclerPools.threadLocalPool()).build();
    }

    private static Map<String, Integer> fieldSlots() {
        Map<String, Integer> slots = new HashMap<>();
        slots.put("wwpn", 0);
        slots.put("timestamp", 1);
        slots.put("port_state", 2);
        for (String counter : COUNTERS) {
            slots.put(counter, slots.size());
        }
        // a hash map, not Map.copyOf's: its lookup divides, and a small request looks up every field of every line
        return Collections.unmodifiableMap(slots);
    }

    /**
     * The lines of a batch. NDJSON is read lazily, one line as it is consumed, so the caller can store early lines
     * while later ones are still being read; JSON arrays and CSV are read up front.
     */
    Iterable<Line> parse(byte[] body, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.contains("csv")) {
            return csv(new String(body, StandardCharsets.UTF_8));
        }
        if (isNdjson(body, contentType)) {
            return ndjson(body);
        }
        return jsonArray(body);
    }

    /** Whether {@link #parse} reads the body as NDJSON: said so, or JSON objects one per line. */
    boolean isNdjson(byte[] body, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        return !type.contains("csv") && (type.contains("ndjson") || type.contains("jsonl") || looksLikeNdjson(body));
    }

    /**
     * NDJSON held in memory, read a chunk of lines at a time as the caller asks: the same lines with the same numbers
     * as {@link #parse} reads at once (NDJSON's lines stand alone, so a body cut at line breaks reads the same).
     */
    Iterable<List<Line>> ndjsonChunks(byte[] body, int linesPerChunk) {
        return () -> new Iterator<>() {
            /** Where the next chunk starts, and how many lines come before it. */
            private int from;
            private int linesBefore;

            @Override
            public boolean hasNext() {
                return from < body.length;
            }

            @Override
            public List<Line> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int to = from;
                int breaks = 0;
                while (to < body.length && breaks < linesPerChunk) {
                    if (body[to++] == '\n') {
                        breaks++;
                    }
                }
                List<Line> chunk = new ArrayList<>();
                for (Line line : ndjson(Arrays.copyOfRange(body, from, to))) {
                    chunk.add(new Line(line.number() + linesBefore, line.snapshot(), line.error()));
                }
                linesBefore += breaks;
                from = to;
                return chunk;
            }
        };
    }

    /**
     * The lines of a batch read from the request as it arrives: NDJSON is parsed while the rest of the body is still
     * on the way, so its first rows can be stored meanwhile; other forms are read whole first.
     */
    Iterable<Line> parse(InputStream body, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.contains("ndjson") || type.contains("jsonl")) {
            return ndjson(body);
        }
        try {
            return parse(body.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("the request body could not be read", e);
        }
    }

    /** Not an array, and a line break before the last line: objects one per line sent as plain JSON. */
    private static boolean looksLikeNdjson(byte[] body) {
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        int last = body.length - 1;
        while (last > first && Character.isWhitespace(body[last])) {
            last--;
        }
        if (first >= body.length || body[first] == '[') {
            return false;
        }
        for (int i = first; i < last; i++) {
            if (body[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    /** Lines produced one at a time as the caller asks: {@link #advance} gives the next, or null at the end. */
    private abstract static class LookAhead implements Iterator<Line> {
        private Line next;
        private boolean started;

        abstract Line advance();

        @Override
        public boolean hasNext() {
            if (!started) {
                started = true;
                next = advance();
            }
            return next != null;
        }

        @Override
        public Line next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Line line = next;
            next = advance();
            return line;
        }
    }

    /**
     * A JSON array (or a single object) read element by element as the caller consumes the lines, so the batch
     * limit is enforced while reading and the whole array is never built as one tree.
     */
    private Iterable<Line> jsonArray(byte[] body) {
        return () -> new LookAhead() {
            private final JsonParser parser = open();
            private boolean array;
            private int number;

            private JsonParser open() {
                try {
                    JsonParser p = json.createParser(body);
                    JsonToken first = p.nextToken();
                    if (first == null) {
                        throw new IllegalArgumentException("the body is empty");
                    }
                    return p;
                } catch (JacksonException e) {
                    throw new IllegalArgumentException("the body is not valid JSON: " + firstLine(e.getMessage()));
                }
            }

            @Override
            Line advance() {
                try {
                    JsonToken token = parser.currentToken();
                    if (number == 0 && token == JsonToken.START_ARRAY) {
                        array = true;
                        token = parser.nextToken();
                    } else if (number > 0) {
                        if (!array) {
                            return null;
                        }
                        token = parser.nextToken();
                    }
                    if (token == null || token == JsonToken.END_ARRAY) {
                        return null;
                    }
                    number++;
                    JsonNode item = parser.readValueAsTree();
                    return element(number, item);
                } catch (JacksonException e) {
                    throw new IllegalArgumentException("the body is not valid JSON: " + firstLine(e.getMessage()));
                }
            }

        };
    }

    /** One element of a JSON array: an object whose known fields hold strings or numbers. */
    private Line element(int number, JsonNode item) {
        if (!item.isObject()) {
            return new Line(number, null, "is not a JSON object");
        }
        for (String field : FIELDS.keySet()) {
            JsonNode value = item.get(field);
            if (value != null && (value.isArray() || value.isObject())) {
                return new Line(number, null, field + " must be a string or a number, not "
                        + (value.isArray() ? "an array" : "an object"));
            }
        }
        return line(number, field -> item.has(field) && !item.get(field).isNull() ? item.get(field).asString() : null,
                null);
    }

    /** NDJSON held in memory: read as a stream too, so both take the same path. */
    private Iterable<Line> ndjson(byte[] body) {
        List<Line> read = ndjsonAtOnce(body);
        return read != null ? read : ndjson(new ByteArrayInputStream(body));
    }

    /** The longest NDJSON line accepted; a snapshot is a few hundred bytes. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    /** NDJSON read from a stream, a buffer at a time: lines are parsed as soon as they are complete. */
    private Iterable<Line> ndjson(InputStream in) {
        return () -> new LookAhead() {
            private byte[] buffer = new byte[64 * 1024];
            /** Bytes [from, filled) are read and not yet consumed. */
            private int from;
            private int filled;
            private boolean ended;
            private int number;

            @Override
            Line advance() {
                int searched = 0; // bytes after `from` known to hold no line break
                while (true) {
                    int end = -1;
                    for (int i = from + searched; i < filled; i++) {
                        if (buffer[i] == '\n') {
                            end = i;
                            break;
                        }
                    }
                    if (end < 0) {
                        searched = filled - from;
                        if (!ended) {
                            fill();
                            continue;
                        }
                        if (from == filled) {
                            return null;
                        }
                        end = filled; // the last line may lack its line break
                    }
                    int lineStart = from;
                    from = Math.min(end + 1, filled);
                    searched = 0;
                    number++;
                    if (end - lineStart > MAX_LINE_BYTES) {
                        return new Line(number, null, "is longer than " + MAX_LINE_BYTES + " bytes");
                    }
                    if (!isBlank(buffer, lineStart, end)) {
                        return ndjsonLine(number, buffer, lineStart, end - lineStart);
                    }
                }
            }

            /** Reads more: unconsumed bytes move to the front, the buffer grows only for a line longer than it. */
            private void fill() {
                if (from > 0) {
                    System.arraycopy(buffer, from, buffer, 0, filled - from);
                    filled -= from;
                    from = 0;
                }
                if (filled == buffer.length) {
                    if (buffer.length > MAX_LINE_BYTES * 2) {
                        throw new IllegalArgumentException("line " + (number + 1) + " is longer than "
                                + MAX_LINE_BYTES + " bytes");
                    }
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
                try {
                    int read = in.read(buffer, filled, buffer.length - filled);
                    if (read < 0) {
                        ended = true;
                    } else {
                        filled += read;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("the request body could not be read", e);
                }
            }
        };
    }

    private static boolean isBlank(byte[] chars, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(chars[i])) {
                return false;
            }
        }
        return true;
    }

    /** One NDJSON line: exactly one object, read token by token into its fields' texts (no tree per line). */
    private Line ndjsonLine(int number, byte[] chars, int offset, int length) {
        try (JsonParser parser = lines.createParser(ObjectReadContext.empty(), chars, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Line(number, null, "not a JSON object");
            }
            Line line = object(number, parser);
            if (line.error() == null && parser.nextToken() != null) {
                return new Line(number, null, "not valid JSON");
            }
            return line;
        } catch (JacksonException e) {
            return new Line(number, null, "not valid JSON");
        }
    }

    /**
     * Reads an object's fields, from after its start up to its end; a field whose value is an object or an array
     * stops it with that error, before the object's end.
     */
    private Line object(int number, JsonParser parser) {
        String[] texts = new String[FIELDS.size()];
        Long[] numbers = new Long[COUNTERS.size()];
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            Integer field = FIELDS.get(parser.currentName());
            JsonToken value = parser.nextToken();
            if (field != null && field >= FIRST_COUNTER_SLOT && value == JsonToken.VALUE_NUMBER_INT
                    && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER && parser.getLongValue() >= 0) {
                // the common case, a plain JSON number: no detour through its text
                numbers[field - FIRST_COUNTER_SLOT] = parser.getLongValue();
            } else if (field != null && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                texts[field] = parser.getString();
            } else if (field != null && value.isStructStart()) {
                return new Line(number, null, parser.currentName() + " must be a string or a number, not "
                        + (value == JsonToken.START_OBJECT ? "an object" : "an array"));
            }
            parser.skipChildren();
        }
        return line(number, name -> texts[FIELDS.get(name)], numbers);
    }

    /**
     * NDJSON read with one parser for the whole body, which costs less than a parser per line: when every non-blank
     * line holds exactly one object whose fields are strings or numbers, the same lines as {@link #ndjsonLine} reads
     * one by one, numbered the same. Null for anything else (a line too long, two objects on a line, an object over
     * several lines, a syntax error, a field that is an object): then the body is read line by line, which names each
     * bad line.
     */
    List<Line> ndjsonAtOnce(byte[] body) {
        int lineStart = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                if (i - lineStart > MAX_LINE_BYTES) {
                    return null;
                }
                lineStart = i + 1;
            }
        }
        List<Line> read = new ArrayList<>();
        int number = 1; // the number of the line at `counted`
        int counted = 0;
        int previousNumber = 0;
        try (JsonParser parser = lines.createParser(ObjectReadContext.empty(), body, 0, body.length)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.START_OBJECT) {
                    return null;
                }
                int start = (int) parser.currentTokenLocation().getByteOffset();
                for (; counted < start; counted++) {
                    if (body[counted] == '\n') {
                        number++;
                    }
                }
                Line line = object(number, parser);
                if (number == previousNumber || parser.currentToken() != JsonToken.END_OBJECT) {
                    return null;
                }
                int end = (int) parser.currentTokenLocation().getByteOffset();
                for (int i = start; i < end; i++) {
                    if (body[i] == '\n') {
                        return null;
                    }
                }
                previousNumber = number;
                read.add(line);
            }
        } catch (JacksonException e) {
            return null;
        }
        return read;
    }

    private List<Line> csv(String body) {
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
                        ? record.get(field) : null, null));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("the CSV cannot be read: " + e.getMessage());
        }
        return lines;
    }

    /**
     * A snapshot from its fields' texts; {@code parsedCounters}, when given, holds counters already read as
     * numbers (by slot in {@link #COUNTERS}), which take the place of their texts.
     */
    private static Line line(int number, Function<String, String> field, Long[] parsedCounters) {
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
            ts = isEpochSeconds(tsText)
                    ? Instant.ofEpochMilli((long) (Double.parseDouble(tsText) * 1000)) : isoInstant(tsText);
        } catch (DateTimeParseException | NumberFormatException e) {
            return new Line(number, null, "timestamp '" + tsText + "' is neither ISO-8601 nor epoch seconds");
        }
        Long[] values = new Long[COUNTERS.size()];
        for (int i = 0; i < COUNTERS.size(); i++) {
            if (parsedCounters != null && parsedCounters[i] != null) {
                values[i] = parsedCounters[i];
                continue;
            }
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
        String portState = field.apply("port_state");
        if (portState != null && (portState.length() > MAX_PORT_STATE || portState.indexOf('\0') >= 0)) {
            return new Line(number, null, "port_state must be at most " + MAX_PORT_STATE
                    + " characters without NUL (Online, Linkdown, …)");
        }
        return new Line(number, new Snapshot(initiator, ts, values, portState), null);
    }

    /**
     * An ISO-8601 instant. The form every collector sends, {@code 2026-11-25T06:00:00Z} with optional fraction, is
     * read by hand (a formatter costs about a microsecond a line); anything else goes to {@link Instant#parse}.
     */
    static Instant isoInstant(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (length > 20) {
            int fraction = length - 21;
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return Instant.parse(text);
            }
            nanos = digits(text, 20, length - 1);
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        } else if (text.charAt(19) != 'Z') {
            return Instant.parse(text);
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59
                || nanos < 0) {
            return Instant.parse(text);
        }
        try {
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (DateTimeException e) {
            return Instant.parse(text);
        }
    }

    /** The decimal value of text[from, to), or -1 when a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Digits with at most one decimal point inside: epoch seconds, as in {@code 1764050400.5}. */
    private static boolean isEpochSeconds(String text) {
        int dot = text.indexOf('.');
        if (text.isEmpty() || dot == 0 || dot == text.length() - 1) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (i != dot && !Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A u64 counter; null for the all-ones "not supported" value. */
    static Long counter(String text) {
        return SysfsCounter.parse(text);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
