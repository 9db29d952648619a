package org.vfzone.fabric;

import java.util.List;
import java.util.stream.Stream;

/**
 * vfzone's estimate of how many bytes a change adds to a zone database: each object's name and members as text with
 * a small fixed overhead, as the switches keep them. Switches account in their own way, so this is a forecast for the
 * review and for refusing a change that clearly would not fit, not the switch's figure.
 */
public final class ZoneDatabaseSize {

    static final int OBJECT_OVERHEAD = 16;
    static final int MEMBER_OVERHEAD = 4;

    private ZoneDatabaseSize() {
    }

    /** The estimated size of one object: its name and its members. */
    public static long of(String name, List<String> members) {
        long bytes = OBJECT_OVERHEAD + name.length();
        for (String member : members) {
            bytes += member.length() + MEMBER_OVERHEAD;
        }
        return bytes;
    }

    /** Bytes the change adds (negative: frees), for the database as read in {@code live}. */
    public static long delta(ZoningChange change, ZoningDatabase live) {
        long delta = 0;
        for (Zone zone : change.addZones()) {
            delta += zoneBytes(zone) + zone.name().length() + MEMBER_OVERHEAD; // and its place in the config
        }
        for (Zone zone : change.replaceZones()) {
            Zone before = live.zones().get(zone.name());
            delta += zoneBytes(zone) - (before == null ? 0 : zoneBytes(before));
        }
        for (String name : change.removeZones()) {
            Zone before = live.zones().get(name);
            if (before != null) {
                delta -= zoneBytes(before) + name.length() + MEMBER_OVERHEAD;
            }
        }
        for (Alias alias : change.addAliases()) {
            delta += of(alias.name(), alias.wwns());
        }
        for (String name : change.removeAliases()) {
            Alias before = live.aliases().get(name);
            if (before != null) {
                delta -= of(name, before.wwns());
            }
        }
        return delta;
    }

    private static long zoneBytes(Zone zone) {
        return of(zone.name(), concat(zone.principals(), zone.members()));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : Stream.concat(a.stream(), b.stream()).toList();
    }
}
