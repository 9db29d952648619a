package org.vfzone.system;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Small text and value helpers every module needs, kept once. */
public final class Texts {

    private Texts() {
    }

    /**
     * The text cut to at most {@code max} characters, ending with "…" when cut; never between the two halves of a
     * character outside the basic plane.
     */
    public static String abbreviate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    /** Null for null or blank text, otherwise the text without surrounding white space. */
    public static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** A nullable SQL timestamp as an instant. */
    public static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** How the pages write and read times: UTC on a 24-hour clock, as the charts label them. */
    public static final DateTimeFormatter UTC_MINUTES = DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    /**
     * A time as typed on a page: an ISO-8601 instant, or a UTC date and time without a zone ({@code 2026-11-24 13:05},
     * or with a {@code T} as a date-time picker sends it); null when blank, else refused naming {@code field}.
     */
    public static Instant utcTime(String typed, String field) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        String text = typed.strip();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw RuleViolation.invalid(field, "\"" + text + "\" is not a UTC time like 2026-11-24 13:05, or an "
                        + "ISO-8601 instant like 2026-11-24T13:05:00Z");
            }
        }
    }
}
