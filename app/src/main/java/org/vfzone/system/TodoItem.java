package org.vfzone.system;

/**
 * One line of the admin's to-do list: what needs doing, how many, and the page that lists exactly those.
 * {@code key} is stable for API clients; {@code count} zero means nothing to do there.
 */
public record TodoItem(String key, String label, long count, String link) {
}
