package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vfzone.collector.FcCounter;
import org.vfzone.wwn.Wwn;
import tools.jackson.databind.json.JsonMapper;

class SnapshotParserTest {

    static final SnapshotParser PARSER = new SnapshotParser(JsonMapper.builder().build());

    static List<SnapshotParser.Line> parse(String body, String contentType) {
        List<SnapshotParser.Line> lines = new ArrayList<>();
        PARSER.parse(body.getBytes(StandardCharsets.UTF_8), contentType).forEach(lines::add);
        return lines;
    }

    /** A stream that hands out a few bytes per read, as a slow network does. */
    static InputStream trickle(String body, int bytesPerRead) {
        return new FilterInputStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, bytesPerRead));
            }
        };
    }

    @Test
    void ndjsonReadFromAStreamInPiecesGivesTheSameLinesAsFromBytes() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            body.append(i % 500 == 7 ? "\n" : "").append(i % 700 == 3 ? "{broken\n" : "")
                    .append("{\"wwpn\":\"2f:00:00:25:b5:00:00:01\",\"timestamp\":\"2026-11-25T06:00:00Z\",")
                    .append("\"fcp_input_requests\":").append(i).append(",\"port_state\":\"Online\"}\n");
        }
        body.append("{\"wwpn\":\"2f:00:00:25:b5:00:00:02\",\"timestamp\":\"2026-11-25T06:00:00Z\"}"); // no final break
        List<SnapshotParser.Line> fromBytes = parse(body.toString(), "application/x-ndjson");
        for (int bytesPerRead : new int[] {1, 7, 4096, 1 << 20}) {
            List<SnapshotParser.Line> streamed = new ArrayList<>();
            PARSER.parse(trickle(body.toString(), bytesPerRead), "application/x-ndjson").forEach(streamed::add);
            assertThat(streamed).as("%d bytes per read", bytesPerRead).isEqualTo(fromBytes);
        }
        assertThat(fromBytes).hasSize(3_000 + 5 + 1);
        List<SnapshotParser.Line> chunked = new ArrayList<>();
        PARSER.ndjsonChunks(body.toString().getBytes(StandardCharsets.UTF_8), 1_000).forEach(chunked::addAll);
        assertThat(chunked).as("a thousand lines at a time").isEqualTo(fromBytes);
        assertThat(fromBytes.get(fromBytes.size() - 1).snapshot().initiator())
                .isEqualTo(Wwn.parse("2f:00:00:25:b5:00:00:02").value());
        assertThat(fromBytes).filteredOn(l -> l.error() != null).extracting(SnapshotParser.Line::error)
                .containsOnly("not valid JSON").hasSize(5);
    }

    @Test
    void aBodyReadAtOnceGivesExactlyTheLinesReadOneByOneWhateverItHolds() {
        String a = "{\"wwpn\":\"2f:00:00:25:b5:00:00:01\",\"timestamp\":\"2026-11-25T06:00:00Z\",\"rx_words\":7}";
        String b = "{\"wwpn\":\"2f:00:00:25:b5:00:00:02\",\"timestamp\":1764050400,\"tx_words\":\"0x1f\","
                + "\"port_state\":\"On\\u006cine\",\"extra\":{\"nested\":[1,{\"x\":2}]},\"rx_frames\":null}";
        String wrongShape = "{\"wwpn\":\"2f:00:00:25:b5:00:00:03\",\"timestamp\":\"2026-11-25T06:00:00Z\","
                + "\"rx_words\":{\"a\":1},\"tx_words\":2}";
        List<String> bodies = List.of(
                a + "\n" + b + "\n",
                "\n\n" + a + "\r\n  \t\n" + b + "   \r\n\n" + a,
                a + " \r " + "\n" + b,
                a + " " + b + "\n" + a,                      // two objects on one line
                "{\"wwpn\":\n\"2f:00:00:25:b5:00:00:01\"}\n" + a, // an object over two lines
                a + "\n[1,2]\n" + b,                        // an array
                a + "\n\"text\"\n42\n" + b,                  // values that are no objects
                a + "\n" + wrongShape + "\n" + b,           // a counter that is an object
                a + "\n{\"wwpn\":1,}\n" + b,                // a trailing comma
                a + "\n{\"wwpn\":\"\u0000\"}\n" + b,            // a raw NUL, which JSON does not allow in a string
                a + "\n}{\n" + b,
                a + "\n" + "{\"wwpn\":\"" + "x".repeat(SnapshotParser.MAX_LINE_BYTES) + "\"}\n" + b,
                "-- $(rm -rf) *\n" + a + "\n\u201cquoted\u201d\n",
                "",
                // escaped, a NUL is valid JSON: read at once, and judged as line by line
                a + "\n{\"wwpn\":\"2f:00:00:25:b5:00:00:01\",\"timestamp\":\"2026-11-25T06:00:00Z\",\"port_state\":"
                        + "\"\\u0000\"}\n");
        // read at once where each line holds one object of known shape; else line by line
        List<Boolean> atOnce = List.of(true, true, true, false, false, false, false, false, false, false, false, false,
                false, true, true);
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            assertThat(PARSER.ndjsonAtOnce(body.getBytes(StandardCharsets.UTF_8)) != null).as("body %d", i)
                    .isEqualTo(atOnce.get(i));
            List<SnapshotParser.Line> oneByOne = new ArrayList<>();
            PARSER.parse(trickle(body, 1 << 20), "application/x-ndjson").forEach(oneByOne::add);
            assertThat(parse(body, "application/x-ndjson")).as(body.length() > 200 ? body.substring(0, 200) : body)
                    .isEqualTo(oneByOne);
            // read a few lines at a time (a large batch stored while it is parsed): the same lines, the same numbers
            for (int perChunk : new int[] {1, 2, 3, 1_000}) {
                List<SnapshotParser.Line> chunked = new ArrayList<>();
                PARSER.ndjsonChunks(body.getBytes(StandardCharsets.UTF_8), perChunk).forEach(chunked::addAll);
                assertThat(chunked).as("body %d, %d lines a chunk", i, perChunk).isEqualTo(oneByOne);
            }
        }
    }

    @Test
    void aStreamedLineLongerThanTheLimitIsRejectedOrRefusesTheBatch() {
        String good = "{\"wwpn\":\"2f:00:00:25:b5:00:00:01\",\"timestamp\":\"2026-11-25T06:00:00Z\"}\n";
        String padded = "{\"wwpn\":\"2f:00:00:25:b5:00:00:01\",\"pad\":\"" + "x".repeat(SnapshotParser.MAX_LINE_BYTES)
                + "\"}\n";
        List<SnapshotParser.Line> lines = new ArrayList<>();
        PARSER.parse(trickle(good + padded + good, 8192), "application/x-ndjson").forEach(lines::add);
        assertThat(lines).extracting(SnapshotParser.Line::error)
                .containsExactly(null, "is longer than " + SnapshotParser.MAX_LINE_BYTES + " bytes", null);

        String endless = good + "{\"pad\":\"" + "x".repeat(SnapshotParser.MAX_LINE_BYTES * 8);
        assertThatThrownBy(() -> PARSER.parse(trickle(endless, 8192), "application/x-ndjson")
                .forEach(line -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("line 2 is longer than "
                        + SnapshotParser.MAX_LINE_BYTES + " bytes");
    }

    @Test
    void readsSysfsHexCountersAndTreatsAllOnesAsUnsupported() {
        assertThat(SnapshotParser.counter("0x1a2b")).isEqualTo(0x1a2bL);
        assertThat(SnapshotParser.counter("6699")).isEqualTo(6699L);
        assertThat(SnapshotParser.counter("0xffffffffffffffff")).isNull();
        assertThat(SnapshotParser.counter("0xfffffffffffffffe")).isEqualTo(-2L);
        assertThatThrownBy(() -> SnapshotParser.counter("-1")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> SnapshotParser.counter("0x1ffffffffffffffff")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void parsesJsonNdjsonAndCsvWithLineNumbersForBadLines() {
        List<SnapshotParser.Line> json = parse("""
                [{"wwpn":"2f:00:00:25:b5:00:00:01","timestamp":"2026-11-25T06:00:00Z","fcp_input_requests":"0x10"},
                 {"wwpn":"nonsense","timestamp":"2026-11-25T06:00:00Z"}]""", "application/json");
        assertThat(json.get(0).snapshot().counter(FcCounter.FCP_INPUT_REQUESTS)).isEqualTo(16L);
        assertThat(json.get(0).snapshot().ts()).isEqualTo(Instant.parse("2026-11-25T06:00:00Z"));
        assertThat(json.get(1).error()).startsWith("wwpn is not a valid WWN");
        assertThat(json.get(1).number()).isEqualTo(2);

        List<SnapshotParser.Line> ndjson = parse("""
                {"wwpn":"2f0000255b000001","timestamp":1764050400,"rx_words":12}
                {oops
                {"wwpn":"2f:00:00:25:b5:00:00:01","timestamp":"yesterday"}
                """, "application/x-ndjson");
        assertThat(ndjson.get(0).snapshot().counter(FcCounter.RX_WORDS)).isEqualTo(12L);
        assertThat(ndjson.get(1)).extracting(SnapshotParser.Line::number, SnapshotParser.Line::error)
                .containsExactly(2, "not valid JSON");
        assertThat(ndjson.get(2).error()).contains("neither ISO-8601 nor epoch seconds");

        List<SnapshotParser.Line> csv = parse("""
                wwpn,timestamp,fcp_input_requests,port_state
                2f:00:00:25:b5:00:00:01,2026-11-25T06:00:00Z,0x20,Online
                2f:00:00:25:b5:00:00:01,2026-11-25T06:00:10Z,abc,Online
                """, "text/csv");
        assertThat(csv.get(0).snapshot().portState()).isEqualTo("Online");
        assertThat(csv.get(1)).extracting(SnapshotParser.Line::number, SnapshotParser.Line::error)
                .containsExactly(3, "fcp_input_requests 'abc' is not a counter value");
    }

    @Test
    void ndjsonLinesAreCheckedOneByOne() {
        List<SnapshotParser.Line> lines = parse("""
                {"wwpn":"2f:00:00:25:b5:00:00:01","timestamp":1764050400.5,"tx_words":"0x10","extra":{"a":[1]}}
                [1,2]
                {"wwpn":"2f:00:00:25:b5:00:00:01","timestamp":1764050400} {"wwpn":"x"}
                {"wwpn":"2f:00:00:25:b5:00:00:01","timestamp":1764050400,"rx_frames":{"n":1}}

                {"wwpn":"2f:00:00:25:b5:00:00:01","timestamp":"1764050400","rx_frames":null}
                """, "application/x-ndjson");
        assertThat(lines).extracting(SnapshotParser.Line::number).containsExactly(1, 2, 3, 4, 6);
        assertThat(lines.get(0).snapshot().ts()).isEqualTo(Instant.parse("2025-11-25T06:00:00.500Z"));
        assertThat(lines.get(0).snapshot().counter(FcCounter.TX_WORDS)).isEqualTo(16L);
        assertThat(lines.get(1).error()).isEqualTo("not a JSON object");
        assertThat(lines.get(2).error()).isEqualTo("not valid JSON");
        assertThat(lines.get(3).error()).isEqualTo("rx_frames must be a string or a number, not an object");
        assertThat(lines.get(4).error()).isNull();
        assertThat(lines.get(4).snapshot().counter(FcCounter.RX_FRAMES)).isNull();
    }

    @Test
    void jsonNumbersAreCountersOnlyWhenTheyFitAnUnsigned64BitValue() {
        List<SnapshotParser.Line> lines = parse("""
                {"wwpn":"2f-00-00-25-b5-00-00-01","timestamp":1764050400,"rx_words":18446744073709551614,"tx_words":7}
                {"wwpn":"2f:00:00:25:b5:00:00:01","timestamp":1764050400,"rx_words":18446744073709551615}
                {"wwpn":"2f:00:00:25:b5:00:00:01","timestamp":1764050400,"rx_words":-5}
                {"wwpn":"2f:00:00:25:b5:00:00:01","timestamp":1764050400,"rx_words":18446744073709551616}
                """, "application/x-ndjson");
        assertThat(lines.get(0).snapshot().counter(FcCounter.RX_WORDS)).isEqualTo(-2L);
        assertThat(lines.get(0).snapshot().counter(FcCounter.TX_WORDS)).isEqualTo(7L);
        assertThat(lines.get(0).snapshot().initiator()).isEqualTo(0x2f000025b5000001L);
        assertThat(lines.get(1).snapshot().counter(FcCounter.RX_WORDS)).as("all ones: not supported").isNull();
        assertThat(lines.get(2).error()).isEqualTo("rx_words '-5' is not a counter value");
        assertThat(lines.get(3).error()).isEqualTo("rx_words '18446744073709551616' is not a counter value");
    }

    @Test
    void isoTimestampsReadByHandAgreeWithTheJdk() {
        for (String text : List.of("2026-11-25T06:00:00Z", "2026-11-25T06:00:00.5Z", "2026-02-28T23:59:59.123456789Z",
                "2024-02-29T12:00:00.010Z", "2026-11-25T07:00:00+01:00")) {
            assertThat(SnapshotParser.isoInstant(text)).as(text).isEqualTo(Instant.parse(text));
        }
        for (String text : List.of("2026-02-30T00:00:00Z", "2026-11-25T25:00:00Z", "2026-11-25 06:00:00Z",
                "2026-1x-25T06:00:00Z")) {
            assertThatThrownBy(() -> SnapshotParser.isoInstant(text)).as(text)
                    .isInstanceOf(DateTimeParseException.class);
        }
    }

    @Test
    void aBodyThatIsNoBatchIsRefusedWhole() {
        assertThatThrownBy(() -> parse("{not json", "application/json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> parse("a,b\n1,2\n", "text/csv"))
                .hasMessageContaining("must name the columns wwpn and timestamp");
    }
}
