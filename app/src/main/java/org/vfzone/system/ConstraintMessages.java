package org.vfzone.system;

import java.util.Map;

import org.springframework.dao.DataIntegrityViolationException;

/**
 * Plain-language reasons for database constraint violations. Services check the same rules first with better
 * messages; these are what a concurrent change that slipped past those checks gets.
 */
public final class ConstraintMessages {

    private static final Map<String, String> BY_CONSTRAINT = Map.of(
            "wwn_registry_pkey", "The WWN is already in use elsewhere in the inventory",
            "vf_within_max_vfs", "The adapter would exceed its maximum number of VFs",
            "wwn_pool_no_overlap", "The WWN range overlaps another pool",
            "wwn_allocation_live_uk", "The WWN is already allocated",
            "vf_index_uk", "The adapter already has a VF with that index");

    private ConstraintMessages() {
    }

    public static String describe(DataIntegrityViolationException e) {
        String text = String.valueOf(e.getMostSpecificCause().getMessage());
        return BY_CONSTRAINT.entrySet().stream()
                .filter(entry -> text.contains(entry.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("The change conflicts with stored data (" + firstLine(text) + ")");
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
