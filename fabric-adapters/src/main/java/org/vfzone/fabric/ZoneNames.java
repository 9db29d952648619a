package org.vfzone.fabric;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Name rules shared by Brocade FOS (8.1 and later) and Cisco MDS: at most 64 characters from letters, digits,
 * {@code _ - $ ^}; Brocade wants a letter or digit first, Cisco a letter, so vfzone asks for a letter. FOS also
 * reserves a few prefixes.
 */
public final class ZoneNames {

    public static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("^[A-Za-z][A-Za-z0-9_$^-]{0,63}$");
    private static final List<String> RESERVED_PREFIXES = List.of("bfa_", "lsan_red_", "d__efault__", "msfr_cfg_",
            "r_e_d_i_r_c__fg", "t_r_a_f_f_i_c_i_s_o_c__fg");

    private ZoneNames() {
    }

    /** Why {@code name} is not a valid zone, alias or config name, or empty when it is. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("is " + name.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        if (!VALID.matcher(name).matches()) {
            return Optional.of("must start with a letter and hold only letters, digits, '_', '-', '$' and '^'");
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (name.toLowerCase().startsWith(prefix)) {
                return Optional.of("starts with the reserved prefix " + prefix);
            }
        }
        return Optional.empty();
    }

    /** Turns free text (a VM or array name) into a name fragment the rules accept. */
    public static String sanitize(String text) {
        String cleaned = text.replaceAll("[^A-Za-z0-9_$^-]", "_");
        return cleaned.isEmpty() ? "x" : cleaned;
    }
}
