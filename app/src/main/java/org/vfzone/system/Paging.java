package org.vfzone.system;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** Page requests from untrusted page/size parameters, bounded so a single call cannot ask for everything. */
public final class Paging {

    private Paging() {
    }

    public static PageRequest of(int page, int size, int maxSize) {
        return of(page, size, maxSize, Sort.unsorted());
    }

    /** A page past the end is an empty page; one so far out that its offset would overflow is the last reachable. */
    public static PageRequest of(int page, int size, int maxSize, Sort sort) {
        int bounded = Math.max(1, Math.min(size, maxSize));
        int lastReachable = Integer.MAX_VALUE / bounded - 1;
        return PageRequest.of(Math.max(0, Math.min(page, lastReachable)), bounded, sort);
    }

    /**
     * A list's sort from {@code field,asc} or {@code field,desc} (direction optional, ascending by default); the
     * fields themselves are checked by the list that sorts.
     */
    public static Sort sort(String spec) {
        if (spec == null || spec.isBlank()) {
            return Sort.unsorted();
        }
        String[] parts = spec.strip().split(",");
        if (parts.length > 2 || parts[0].isBlank()) {
            throw RuleViolation.invalid("sort", "must be field,asc or field,desc");
        }
        String direction = parts.length == 2 ? parts[1].strip().toLowerCase(java.util.Locale.ROOT) : "asc";
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw RuleViolation.invalid("sort", "the direction must be asc or desc, not " + parts[1].strip());
        }
        return Sort.by(direction.equals("asc") ? Sort.Direction.ASC : Sort.Direction.DESC, parts[0].strip());
    }
}
