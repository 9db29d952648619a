package org.vfzone.wwn;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A Fibre Channel world wide name (64 bits). Parsed from the forms admins paste from switch and HBA tools,
 * always shown in one canonical form: eight lower-case hex bytes joined by colons.
 */
public record Wwn(long value) implements Comparable<Wwn> {

    public Wwn {
        if (value == 0) {
            throw new WwnFormatException("must not be all zeros");
        }
    }

    /**
     * Accepts {@code 10:00:00:90:fa:12:34:56}, {@code 10-00-00-90-fa-12-34-56} and {@code 10000090FA123456}
     * (any case, surrounding blanks ignored).
     *
     * @throws WwnFormatException with a reason an admin can act on
     */
    public static Wwn parse(String input) {
        if (input == null || input.isBlank()) {
            throw new WwnFormatException("is empty");
        }
        String text = input.strip();
        long eightBytes = separatedBytes(text);
        if (eightBytes != 0) {
            return new Wwn(eightBytes);
        }
        String hex;
        if (text.indexOf(':') >= 0 || text.indexOf('-') >= 0) {
            char separator = text.indexOf(':') >= 0 ? ':' : '-';
            String[] bytes = split(text, separator);
            if (bytes.length != 8) {
                throw new WwnFormatException("must have 8 bytes separated by '" + separator + "', got " + bytes.length);
            }
            StringBuilder joined = new StringBuilder(16);
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i].length() != 2) {
                    throw new WwnFormatException("byte " + (i + 1) + " ('" + bytes[i] + "') must be 2 hex digits");
                }
                joined.append(bytes[i]);
            }
            hex = joined.toString();
        } else {
            hex = text;
            if (hex.length() != 16) {
                throw new WwnFormatException("must be 16 hex digits, got " + hex.length());
            }
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new WwnFormatException("'" + hex.charAt(i) + "' is not a hex digit");
            }
        }
        long value = Long.parseUnsignedLong(hex, 16);
        if (value == 0) {
            throw new WwnFormatException("must not be all zeros");
        }
        return new Wwn(value);
    }

    /**
     * The value of the common form, eight two-digit bytes separated by ':' (or '-'), read without allocating; 0 for
     * anything else, which the full parse then explains.
     */
    private static long separatedBytes(String text) {
        if (text.length() != 23) {
            return 0;
        }
        char separator = text.charAt(2);
        if (separator != ':' && separator != '-') {
            return 0;
        }
        long value = 0;
        for (int i = 0; i < 23; i++) {
            char c = text.charAt(i);
            if (i % 3 == 2) {
                if (c != separator) {
                    return 0;
                }
                continue;
            }
            int digit = Character.digit(c, 16);
            if (digit < 0) {
                return 0;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** Splits on one character without a regular expression: WWPNs are parsed for every traffic sample. */
    private static String[] split(String text, char separator) {
        List<String> parts = new ArrayList<>(8);
        int from = 0;
        for (int at = text.indexOf(separator); at >= 0; at = text.indexOf(separator, from)) {
            parts.add(text.substring(from, at));
            from = at + 1;
        }
        parts.add(text.substring(from));
        return parts.toArray(String[]::new);
    }

    /** The Network Address Authority type: the first hex digit. */
    public int naaType() {
        return (int) (value >>> 60);
    }

    /**
     * The IEEE OUI the name carries, where its NAA type defines one: bytes 3-5 for NAA 1 and 2, the 24 bits
     * after the NAA nibble for NAA 5 and 6. Empty for locally assigned (NAA 3) and other types.
     */
    public Optional<String> oui() {
        long oui = switch (naaType()) {
            case 1, 2 -> (value >>> 24) & 0xFFFFFFL;
            case 5, 6 -> (value >>> 36) & 0xFFFFFFL;
            default -> -1;
        };
        if (oui < 0) {
            return Optional.empty();
        }
        return Optional.of(String.format("%02x:%02x:%02x", (oui >>> 16) & 0xFF, (oui >>> 8) & 0xFF, oui & 0xFF));
    }

    public Wwn plus(long offset) {
        return new Wwn(value + offset);
    }

    /** Offset of this WWN from {@code base} (unsigned arithmetic). */
    public long minus(Wwn base) {
        return value - base.value;
    }

    @Override
    public int compareTo(Wwn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        String hex = HexFormat.of().toHexDigits(value);
        StringBuilder canonical = new StringBuilder(23);
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                canonical.append(':');
            }
            canonical.append(hex, i, i + 2);
        }
        return canonical.toString();
    }
}
