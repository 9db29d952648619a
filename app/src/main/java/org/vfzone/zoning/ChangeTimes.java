package org.vfzone.zoning;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.vfzone.system.RuleViolation;

/** Times typed in change forms: UTC, 24-hour, {@code yyyy-MM-dd HH:mm} (a {@code T} between is accepted too). */
final class ChangeTimes {

    private static final DateTimeFormatter TYPED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private ChangeTimes() {
    }

    /** Null when blank; otherwise the instant, or a refusal naming the field and the expected form. */
    static Instant parse(String typed, String field) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(typed.strip().replace('T', ' '), TYPED).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw RuleViolation.invalid(field, "\"" + typed.strip() + "\" is not a UTC time like 2026-12-07 22:00");
        }
    }
}
