package org.vfzone.zoning;

import java.util.regex.Pattern;

import org.vfzone.system.RuleViolation;

/**
 * Why a change is made: free text and an optional ticket reference (a change or incident number). Both are checked
 * here and by the database; text with control characters other than line breaks is refused, never cleaned.
 */
public record ChangeReason(String reason, String ticket) {

    public static final ChangeReason NONE = new ChangeReason(null, null);
    public static final int MAX_REASON = 2000;
    private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/#-]{0,63}");

    /** The reason and ticket as typed: blank is none, anything else must be acceptable or it is refused by field. */
    public static ChangeReason of(String reason, String ticket) {
        String text = reason == null || reason.isBlank() ? null : reason.strip();
        String ref = ticket == null || ticket.isBlank() ? null : ticket.strip();
        if (text != null && text.length() > MAX_REASON) {
            throw RuleViolation.invalid("reason", "A reason is at most " + MAX_REASON + " characters");
        }
        if (text != null && text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            throw RuleViolation.invalid("reason", "A reason cannot hold control characters");
        }
        if (ref != null && !TICKET.matcher(ref).matches()) {
            throw RuleViolation.invalid("ticket", "A ticket reference is 1 to 64 letters, digits and . _ : / # -, "
                    + "starting with a letter or digit (like CHG0012345)");
        }
        return new ChangeReason(text, ref);
    }

    public boolean given() {
        return reason != null;
    }

    /** One line for audit entries and notifications: " · reason: … (ticket CHG1)", empty without a reason. */
    public String note() {
        if (reason == null && ticket == null) {
            return "";
        }
        return " · reason: " + (reason == null ? "none given" : reason.replaceAll("\\s+", " "))
                + (ticket == null ? "" : " (ticket " + ticket + ")");
    }
}
