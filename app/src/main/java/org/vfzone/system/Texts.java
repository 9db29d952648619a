package org.vfzone.system;

import java.sql.Timestamp;
import java.time.Instant;

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
}
