package org.vfzone.traffic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.vfzone.system.RuleViolation;

/**
 * The period a chart, report or series covers: a named range ending now, or a custom from/to (ISO-8601) of at
 * most {@link #LONGEST} (the hourly tier's retention).
 */
record TrafficPeriod(Instant from, Instant to, String range) {

    static final Map<String, Duration> RANGES;
    static final Duration LONGEST = Duration.ofDays(1095);

    static {
        Map<String, Duration> ranges = new LinkedHashMap<>();
        ranges.put("1h", Duration.ofHours(1));
        ranges.put("24h", Duration.ofHours(24));
        ranges.put("7d", Duration.ofDays(7));
        ranges.put("30d", Duration.ofDays(30));
        RANGES = Collections.unmodifiableMap(ranges);
    }

    TrafficPeriod previous() {
        Duration length = Duration.between(from, to);
        return new TrafficPeriod(from.minus(length), from, range);
    }

    /** From request parameters; a bad or inverted custom range is a 400 naming the parameter. */
    static TrafficPeriod of(String range, String from, String to, Clock clock) {
        Instant now = clock.instant();
        if ((from == null || from.isBlank()) && to != null && !to.isBlank()) {
            throw RuleViolation.invalid("from", "give when the period starts too, or choose a range");
        }
        if (from != null && !from.isBlank()) {
            Instant start = instant(from, "from");
            Instant end = to == null || to.isBlank() ? now : instant(to, "to");
            if (!start.isBefore(end)) {
                throw RuleViolation.invalid("from", "must be before 'to' (" + TYPED.format(end) + " UTC)");
            }
            if (Duration.between(start, end).compareTo(LONGEST) > 0) {
                throw RuleViolation.invalid("from", "the period may be at most " + LONGEST.toDays() + " days");
            }
            return new TrafficPeriod(start, end, "custom");
        }
        Duration length = RANGES.getOrDefault(range, RANGES.get("24h"));
        return new TrafficPeriod(now.minus(length), now, RANGES.containsKey(range) ? range : "24h");
    }

    /** How the pages write and read times: UTC on a 24-hour clock, as the charts label them. */
    static final java.time.format.DateTimeFormatter TYPED = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC);

    /**
     * An ISO-8601 instant, or a UTC date and time without a zone as the pages type it ({@code 2026-11-24 13:05}, or
     * with a {@code T} as a date-time picker sends it).
     */
    private static Instant instant(String text, String field) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException notAnInstant) {
            try {
                return java.time.LocalDateTime.parse(text.strip().replace(' ', 'T'))
                        .toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw RuleViolation.invalid(field, "must be a UTC time like 2026-11-24 13:05, or an ISO-8601 "
                        + "instant like 2026-11-24T13:05:00Z");
            }
        }
    }
}
