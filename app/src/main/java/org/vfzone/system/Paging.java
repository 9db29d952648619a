package org.vfzone.system;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** Page requests from untrusted page/size parameters, bounded so a single call cannot ask for everything. */
public final class Paging {

    private Paging() {
    }

    public static PageRequest of(int page, int size, int maxSize) {
        return PageRequest.of(Math.max(page, 0), Math.max(1, Math.min(size, maxSize)));
    }

    public static PageRequest of(int page, int size, int maxSize, Sort sort) {
        return PageRequest.of(Math.max(page, 0), Math.max(1, Math.min(size, maxSize)), sort);
    }
}
