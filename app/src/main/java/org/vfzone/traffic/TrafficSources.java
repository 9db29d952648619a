package org.vfzone.traffic;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which source an initiator's counters come from, one at a time, never summed. The rule: the host collector whenever
 * it reports the initiator; switch analytics only for an initiator no collector has reported for the takeover time
 * (by default the gap after which a chart shows a gap anyway). A collector that reports again takes the initiator
 * back at once. Each switch of source is recorded, and no rate is derived across one.
 */
@Component
public class TrafficSources {

    /** One stretch of a chart's period served by one source. */
    public record Span(TrafficSource source, String label, Instant from, Instant to) {
    }

    /**
     * Initiators recently confirmed as the host's, so a collector's every batch does not ask again. The switch takes
     * an initiator over only after the host has been silent for much longer than an entry lives.
     */
    private final Cache<Long, Boolean> hostSourced = Caffeine.newBuilder().maximumSize(500_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();

    private final JdbcTemplate jdbc;

    TrafficSources(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A host collector's snapshots were stored (in the caller's transaction), each initiator's earliest at the time
     * given: an initiator served by the switch until now goes back to the host from that time on.
     */
    void hostReported(Map<Long, Instant> earliest) {
        List<Long> initiators = new ArrayList<>();
        List<Timestamp> times = new ArrayList<>();
        earliest.forEach((initiator, at) -> {
            if (hostSourced.getIfPresent(initiator) == null) {
                initiators.add(initiator);
                times.add(Timestamp.from(at));
            }
        });
        if (initiators.isEmpty()) {
            return;
        }
        jdbc.update("""
                insert into traffic_source_change (initiator, at, source)
                select u.initiator, u.at, 'host' from unnest(?::bigint[], ?::timestamptz[]) as u(initiator, at)
                 where (select c.source from traffic_source_change c where c.initiator = u.initiator
                         order by c.at desc limit 1) = 'switch'
                on conflict do nothing
                """, initiators.toArray(Long[]::new), times.toArray(Timestamp[]::new));
        initiators.forEach(initiator -> hostSourced.put(initiator, Boolean.TRUE));
    }

    /**
     * Of the initiators a switch reports (each with the time of its snapshot), those whose counters are to be stored
     * from the switch: the ones it already serves, and those no host collector reported within {@code takeover}
     * before their snapshot, which it takes over from now (recorded). Called in the storing transaction.
     */
    @Transactional
    public Set<Long> admitFromSwitch(long fabricId, Map<Long, Instant> snapshotTimes, Duration takeover) {
        if (snapshotTimes.isEmpty()) {
            return Set.of();
        }
        Long[] initiators = snapshotTimes.keySet().toArray(Long[]::new);
        Map<Long, String> current = new HashMap<>();
        jdbc.query("""
                select distinct on (initiator) initiator, source from traffic_source_change
                 where initiator = any (?) order by initiator, at desc
                """, rs -> {
                    current.put(rs.getLong(1), rs.getString(2));
                }, (Object) initiators);
        Set<Long> admitted = new HashSet<>();
        List<Long> candidates = new ArrayList<>();
        for (Long initiator : initiators) {
            if ("switch".equals(current.get(initiator))) {
                admitted.add(initiator);
            } else {
                candidates.add(initiator);
            }
        }
        if (candidates.isEmpty()) {
            return admitted;
        }
        Instant newest = snapshotTimes.values().stream().max(Instant::compareTo).orElseThrow();
        Set<Long> hostRecently = new HashSet<>(jdbc.queryForList("""
                select distinct initiator from traffic_sample where initiator = any (?) and ts > ?
                """, Long.class, candidates.toArray(Long[]::new), Timestamp.from(newest.minus(takeover))));
        List<Object[]> changes = new ArrayList<>();
        for (Long initiator : candidates) {
            if (!hostRecently.contains(initiator)) {
                admitted.add(initiator);
                // a collector reporting it again must record the change back (another node's entry lapses in a minute)
                hostSourced.invalidate(initiator);
                changes.add(new Object[] {initiator, Timestamp.from(snapshotTimes.get(initiator)), fabricId});
            }
        }
        jdbc.batchUpdate("insert into traffic_source_change (initiator, at, source, fabric_id) values (?, ?, 'switch', ?) "
                + "on conflict do nothing", changes);
        return admitted;
    }

    /**
     * When the initiators (all when null) changed source between {@code from} and {@code to}: a rate between a
     * snapshot before such a time and one at or after it is not derived.
     */
    Map<Long, List<Instant>> switches(Long[] initiators, Instant from, Instant to) {
        Map<Long, List<Instant>> byInitiator = new HashMap<>();
        String which = initiators == null ? "" : "initiator = any (?) and ";
        List<Object> args = new ArrayList<>();
        if (initiators != null) {
            args.add(initiators);
        }
        args.add(Timestamp.from(from));
        args.add(Timestamp.from(to));
        jdbc.query("select initiator, at from traffic_source_change where " + which + "at > ? and at <= ? "
                + "order by initiator, at", rs -> {
                    byInitiator.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(rs.getTimestamp(2).toInstant());
                }, args.toArray());
        return byInitiator;
    }

    /**
     * The sources behind the initiators' data from {@code from} to {@code to}, as consecutive spans (an initiator no
     * switch ever reported is the host collector's throughout).
     */
    @Transactional(readOnly = true)
    public List<Span> spans(List<Long> initiators, Instant from, Instant to) {
        Long[] wanted = initiators.toArray(Long[]::new);
        // the source in force at the start, then every change within the period
        List<Object[]> changes = new ArrayList<>();
        jdbc.query("""
                select initiator, at, source from (
                    select distinct on (initiator) initiator, ?::timestamptz as at, source from traffic_source_change
                     where initiator = any (?) and at <= ? order by initiator, at desc) at_start
                union all
                select initiator, at, source from traffic_source_change where initiator = any (?) and at > ? and at < ?
                order by 2, 1
                """, rs -> {
                    changes.add(new Object[] {rs.getLong(1), rs.getTimestamp(2).toInstant(),
                            TrafficSource.ofCode(rs.getString(3))});
                }, Timestamp.from(from), wanted, Timestamp.from(from), wanted, Timestamp.from(from),
                Timestamp.from(to));
        Map<Long, TrafficSource> now = new HashMap<>();
        for (Long initiator : initiators) {
            now.put(initiator, TrafficSource.HOST);
        }
        List<Span> spans = new ArrayList<>();
        Instant spanStart = from;
        Set<TrafficSource> before = Set.copyOf(now.values());
        for (Object[] change : changes) {
            Instant at = (Instant) change[1];
            now.put((Long) change[0], (TrafficSource) change[2]);
            Set<TrafficSource> after = Set.copyOf(now.values());
            if (!after.equals(before)) {
                if (at.isAfter(spanStart)) {
                    spans.addAll(spansOf(before, spanStart, at));
                }
                spanStart = at;
                before = after;
            }
        }
        spans.addAll(spansOf(before, spanStart, to));
        return spans;
    }

    private static List<Span> spansOf(Set<TrafficSource> sources, Instant from, Instant to) {
        return sources.stream().sorted().map(s -> new Span(s, s.label(), from, to)).toList();
    }
}
