package org.vfzone.traffic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.vfzone.system.RuleViolation;
import org.vfzone.system.Texts;

/**
 * The period a chart, report or series covers: a named range ending now, or a custom from/to (ISO-8601) of at
 * most {@link #LONGEST} (the hourly tier's retention).
 */
public record TrafficPeriod(Instant from, Instant to, String range) {

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
    public static TrafficPeriod of(String range, String from, String to, Clock clock) {
        Instant now = clock.instant();
        if ((from == null || from.isBlank()) && to != null && !to.isBlank()) {
            throw RuleViolation.invalid("from", "give when the period starts too, or choose a range");
        }
        if (from != null && !from.isBlank()) {
            Instant start = instant(from, "from");
            Instant end = to == null || to.isBlank() ? now : instant(to, "to");
            if (!start.isBefore(end)) {
                throw RuleViolation.invalid("from", "must be before 'to' (" + Texts.UTC_MINUTES.format(end) + " UTC)");
            }
            if (Duration.between(start, end).compareTo(LONGEST) > 0) {
                throw RuleViolation.invalid("from", "the period may be at most " + LONGEST.toDays() + " days");
            }
            return new TrafficPeriod(start, end, "custom");
        }
        Duration length = RANGES.getOrDefault(range, RANGES.get("24h"));
        return new TrafficPeriod(now.minus(length), now, RANGES.containsKey(range) ? range : "24h");
    }

    private static Instant instant(String text, String field) {
        return Texts.utcTime(text, field);
    }
}
