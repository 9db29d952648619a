package org.vfzone.system;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

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
        String direction = parts.length == 2 ? parts[1].strip().toLowerCase(Locale.ROOT) : "asc";
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw RuleViolation.invalid("sort", "the direction must be asc or desc, not " + parts[1].strip());
        }
        return Sort.by(direction.equals("asc") ? Sort.Direction.ASC : Sort.Direction.DESC, parts[0].strip());
    }

    /** A column a list sorts by: the JPA property, compared ignoring case for names. */
    public record Column(String property, boolean ignoreCase) {

        public static Column text(String property) {
            return new Column(property, true);
        }

        public static Column plain(String property) {
            return new Column(property, false);
        }
    }

    /**
     * A list's sort from {@code field,asc|desc}, by one of the list's own columns (an unknown one is a 400 naming
     * {@code sort} and the columns it offers), then by {@code tiebreak} so pages never overlap.
     */
    public static Sort sort(String spec, Map<String, Column> columns, Sort tiebreak) {
        List<Sort.Order> orders = new ArrayList<>();
        for (Sort.Order requested : sort(spec)) {
            Column column = columns.get(requested.getProperty());
            if (column == null) {
                throw RuleViolation.invalid("sort", "sorts by " + String.join(", ", new TreeSet<>(
                        columns.keySet())) + ", not " + requested.getProperty());
            }
            Sort.Order order = new Sort.Order(requested.getDirection(), column.property());
            orders.add(column.ignoreCase() ? order.ignoreCase() : order);
        }
        return Sort.by(orders).and(tiebreak);
    }

    /** The page sizes lists offer. */
    public static final List<Integer> PAGE_SIZES = List.of(25, 50, 100, 200);

    /**
     * The order of a short, unpaged list (arrays, fabrics) from {@code field,asc|desc}: text compared ignoring case,
     * empty values last; an unknown field is a 400 naming {@code sort}.
     */
    public static <T> Comparator<T> order(String spec, Map<String,
            Function<T, ? extends Comparable<?>>> columns) {
        Comparator<T> order = null;
        for (Sort.Order requested : sort(spec)) {
            Function<T, ? extends Comparable<?>> key = columns.get(requested.getProperty());
            if (key == null) {
                throw RuleViolation.invalid("sort", "sorts by " + String.join(", ", new TreeSet<>(
                        columns.keySet())) + ", not " + requested.getProperty());
            }
            Comparator<T> byKey = Comparator.comparing(item -> comparable(key.apply(item)),
                    Comparator.nullsLast(Comparator.naturalOrder()));
            if (requested.isDescending()) {
                byKey = byKey.reversed();
            }
            order = order == null ? byKey : order.thenComparing(byKey);
        }
        return order == null ? (a, b) -> 0 : order;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable comparable(Comparable<?> value) {
        if (value instanceof String text) {
            return text.isBlank() ? null : text.toLowerCase(Locale.ROOT);
        }
        return value;
    }
}
