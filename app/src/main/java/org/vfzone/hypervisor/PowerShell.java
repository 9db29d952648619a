package org.vfzone.hypervisor;

import org.vfzone.system.RuleViolation;

/**
 * Writes text into PowerShell scripts so that it stays data. PowerShell closes a single-quoted string at any of five
 * quote characters (U+0027 and U+2018–U+201B, the language specification's single-quote-character), and inside
 * single quotes a quote is written by doubling it: {@code CodeGeneration.EscapeSingleQuotedStringContent} does the same.
 * Control characters (line feed and carriage return end a line, and with it a comment) are refused: no name in
 * vfzone's inventory needs one.
 */
final class PowerShell {

    private PowerShell() {
    }

    static boolean isSingleQuote(char c) {
        return c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';
    }

    /** Characters that end a line or are invisible controls: refused in any text a script carries. */
    static boolean isRefused(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0x85 || c == 0xFEFF;
    }

    /** {@code 'text'}, a literal string PowerShell reads back as exactly {@code text}. */
    static String literal(String text, String what) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isRefused(c)) {
                throw RuleViolation.conflict(null, what + " contains a control character (U+"
                        + String.format("%04X", (int) c) + "); rename it before generating a script for it");
            }
            quoted.append(c);
            if (isSingleQuote(c)) {
                quoted.append(c);
            }
        }
        return quoted.append('\'').toString();
    }
}
