package org.vfzone.wwn;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.VfzoneProperties;
import org.vfzone.wwn.internal.WwnAllocationRepository;
import org.vfzone.wwn.internal.WwnPoolRepository;

/**
 * Hands out WWNs from pools. Each allocation locks the pool row, so concurrent callers (threads or app nodes)
 * never get the same WWN; the database's unique indexes back this up. A WWN is free when nothing uses it and
 * no allocation of it is live or still in quarantine.
 */
@Service
public class WwnAllocator {

    private static final int CANDIDATES_PER_QUERY = 256;

    private static final String TAKEN_SQL = """
            select wwn from wwn_registry where wwn = any (?::varchar[])
            union
            select wwn from wwn_allocation where wwn = any (?::varchar[])
               and (released_at is null or reusable_after > ?)
            """;

    private final WwnPoolRepository pools;
    private final WwnAllocationRepository allocations;
    private final JdbcTemplate jdbc;
    private final VfzoneProperties properties;
    private final Clock clock;

    WwnAllocator(WwnPoolRepository pools, WwnAllocationRepository allocations, JdbcTemplate jdbc,
                 VfzoneProperties properties, Clock clock) {
        this.pools = pools;
        this.allocations = allocations;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** Allocates the next free WWN of the pool; the caller's transaction stores what uses it. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Wwn allocate(long poolId, WwnPurpose purpose, Long vmId, String vmName, String fabricName, String user) {
        WwnPool pool = pools.findByIdForUpdate(poolId).orElseThrow(() -> new NotFoundException("WWN pool", poolId));
        Instant now = clock.instant();
        long size = pool.getSize();
        long scanned = 0;
        long offset = Long.remainderUnsigned(pool.getNextOffset(), size);
        while (scanned < size) {
            int count = (int) Math.min(CANDIDATES_PER_QUERY, size - scanned);
            List<Wwn> candidates = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                candidates.add(pool.getFirstWwn().plus(Long.remainderUnsigned(offset + i, size)));
            }
            Set<String> taken = taken(candidates, now);
            for (int i = 0; i < count; i++) {
                Wwn candidate = candidates.get(i);
                if (!taken.contains(candidate.toString())) {
                    pool.setNextOffset(Long.remainderUnsigned(offset + i + 1, size));
                    allocations.save(new WwnAllocation(pool, candidate, purpose, vmId, vmName, fabricName, user, now));
                    return candidate;
                }
            }
            scanned += count;
            offset = Long.remainderUnsigned(offset + count, size);
        }
        throw RuleViolation.conflict("poolId", "WWN pool " + pool.getName() + " is exhausted: all " + size
                + " WWNs are in use or in quarantine");
    }

    /** Releases a WWN allocated from a pool; it stays in quarantine before it can be handed out again. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void release(Wwn wwn, String user) {
        allocations.findLive(wwn).ifPresent(allocation -> {
            Instant now = clock.instant();
            allocation.release(user, now, now.plus(properties.wwn().quarantine()));
        });
    }

    private Set<String> taken(List<Wwn> candidates, Instant now) {
        String[] texts = candidates.stream().map(Wwn::toString).toArray(String[]::new);
        return new HashSet<>(jdbc.queryForList(TAKEN_SQL, String.class, texts, texts,
                Timestamp.from(now)));
    }
}
