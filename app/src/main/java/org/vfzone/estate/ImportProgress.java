package org.vfzone.estate;

import java.time.Duration;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Component;

/**
 * How far running imports are, by an id the client chose when it submitted (the import page makes one per form), so
 * the page can show "row 12,000 of 40,750" while a large import runs. Kept for ten minutes after the last row, and
 * only for the user who started the import.
 */
@Component
class ImportProgress {

    /** What one import has done: rows checked of all rows, the file it is in, and whether it has finished. */
    record Status(int done, int total, String file, boolean finished) {
    }

    /** Where the import reports; every call replaces the previous status. */
    interface Tracker {
        Tracker NONE = (done, total, file, finished) -> {
        };

        void report(int done, int total, String file, boolean finished);
    }

    private record Entry(String user, Status status) {
    }

    private final Cache<UUID, Entry> running = Caffeine.newBuilder().maximumSize(1_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    /** A tracker for the import the user starts under that id; none when the id is missing or not a UUID. */
    Tracker track(String id, String user) {
        UUID key = uuid(id);
        if (key == null) {
            return Tracker.NONE;
        }
        running.put(key, new Entry(user, new Status(0, 0, null, false)));
        return (done, total, file, finished) -> running.put(key, new Entry(user, new Status(done, total, file,
                finished)));
    }

    /** The import's status for its user; null when unknown (not started yet, or someone else's). */
    Status of(String id, String user) {
        UUID key = uuid(id);
        Entry entry = key == null ? null : running.getIfPresent(key);
        return entry == null || !entry.user().equals(user) ? null : entry.status();
    }

    private static UUID uuid(String text) {
        try {
            return text == null || text.isBlank() ? null : UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
