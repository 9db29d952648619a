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
}
