package org.vfzone.wwn;

import org.vfzone.system.RuleViolation;

/** Parses a WWN typed into a named form field, turning a format error into a field error. */
public final class WwnFields {

    private WwnFields() {
    }

    public static Wwn parse(String text, String field) {
        try {
            return Wwn.parse(text);
        } catch (WwnFormatException e) {
            throw RuleViolation.invalid(field, "is not a valid WWN: " + e.getMessage());
        }
    }
}
