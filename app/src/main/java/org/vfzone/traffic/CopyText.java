package org.vfzone.traffic;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.vfzone.system.CopyRows;

/**
 * Fields in PostgreSQL's COPY text format, written without intermediate strings: the ingest writes tens of thousands
 * of rows per request, and formatting them is most of its own work.
 */
final class CopyText {

    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
            100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L};
    /** Integers up to 2^24 are exact in a float. */
    private static final float EXACT_INTEGERS = 16_777_216f;

    private CopyText() {
    }

    static void field(StringBuilder text, Long value) {
        text.append('\t');
        if (value == null) {
            text.append("\\N");
        } else {
            text.append(value.longValue());
        }
    }

    static void field(StringBuilder text, Float value) {
        text.append('\t');
        if (value == null) {
            text.append("\\N");
        } else {
            appendFloat(text, value);
        }
    }

    static void field(StringBuilder text, String value) {
        text.append('\t');
        if (value == null) {
            text.append("\\N");
        } else {
            CopyRows.escape(text, value);
        }
    }

    /**
     * A float as a decimal that reads back as the same float ({@code real} column): nine significant digits always
     * do, so they are computed with integer arithmetic instead of the JDK's shortest-form algorithm. Values outside
     * [0.001, 10^9), rare for rates, take the JDK's form.
     */
    static void appendFloat(StringBuilder text, float value) {
        float magnitude = Math.abs(value);
        if (magnitude < EXACT_INTEGERS && magnitude == (int) magnitude) {
            text.append((int) value);
            return;
        }
        if (!(magnitude >= 0.001f && magnitude < 1e9f)) {
            text.append(value);
            return;
        }
        int decimals;
        if (magnitude >= 1) {
            int integerDigits = 1;
            while (integerDigits < 9 && magnitude >= POWERS_OF_TEN[integerDigits]) {
                integerDigits++;
            }
            decimals = 9 - integerDigits;
        } else {
            // below 1, the zeros right after the point are not significant
            decimals = 9;
            for (double scaled = magnitude * 10.0; scaled < 1; scaled *= 10) {
                decimals++;
            }
        }
        long digits = Math.round((double) magnitude * POWERS_OF_TEN[decimals]);
        long unit = POWERS_OF_TEN[decimals];
        long whole = digits / unit;
        long fraction = digits % unit;
        if (value < 0) {
            text.append('-');
        }
        text.append(whole);
        if (fraction == 0) {
            return;
        }
        while (fraction % 10 == 0) {
            fraction /= 10;
            decimals--;
        }
        text.append('.');
        for (long p = POWERS_OF_TEN[decimals - 1]; p > fraction && p > 1; p /= 10) {
            text.append('0');
        }
        text.append(fraction);
    }

    /**
     * Timestamps as ISO text, each formatted once per batch: a collector's batch holds few distinct times (one per
     * reading), and formatting an {@link Instant} costs far more than looking it up.
     */
    static final class Timestamps {

        private static final int MAX_REMEMBERED = 4_096;
        private final Map<Instant, String> formatted = new HashMap<>();

        void append(StringBuilder text, Instant ts) {
            String iso = formatted.get(ts);
            if (iso == null) {
                iso = ts.toString();
                if (formatted.size() < MAX_REMEMBERED) {
                    formatted.put(ts, iso);
                }
            }
            text.append(iso);
        }
    }
}
