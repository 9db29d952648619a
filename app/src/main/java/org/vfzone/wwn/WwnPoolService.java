package org.vfzone.wwn;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.internal.WwnAllocationRepository;
import org.vfzone.wwn.internal.WwnPoolRepository;

/** Creates and maintains WWN pools, checking each range against its NAA type, OUI and the other pools. */
@Service
@Transactional
public class WwnPoolService {

    /** NAA types that fit an 8-byte FC name and can be handed out from a range. */
    static final List<Integer> ALLOCATABLE_NAA_TYPES = List.of(1, 2, 3, 5);

    private final AuditLog audit;
    private final WwnPoolRepository pools;
    private final WwnAllocationRepository allocations;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    WwnPoolService(WwnPoolRepository pools, WwnAllocationRepository allocations, JdbcTemplate jdbc, Clock clock, AuditLog audit) {
        this.pools = pools;
        this.audit = audit;
        this.allocations = allocations;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public WwnPool get(long id) {
        return pools.findById(id).orElseThrow(() -> new NotFoundException("WWN pool", id));
    }

    @Transactional(readOnly = true)
    public List<WwnPool> list() {
        return pools.findAllByOrderByNameAsc();
    }

    public WwnPool create(WwnPoolForm form) {
        if (pools.existsByNameIgnoreCase(form.name().strip())) {
            throw RuleViolation.conflict("name", "a pool named " + form.name().strip() + " already exists");
        }
        Range range = checkedRange(form, null);
        WwnPool pool = new WwnPool(form.name().strip(), range.naaType, range.first, range.last, range.oui);
        pool.setDescription(form.description());
        WwnPool saved = pools.save(pool);
        audit.change("CREATE", "wwn_pool", saved.getId(), "Created WWN pool " + saved.getName(), null,
                WwnPoolForm.of(saved));
        return saved;
    }

    public WwnPool update(long id, WwnPoolForm form) {
        WwnPool pool = get(id);
        WwnPoolForm before = WwnPoolForm.of(pool);
        if (pools.existsByNameIgnoreCaseAndIdNot(form.name().strip(), id)) {
            throw RuleViolation.conflict("name", "a pool named " + form.name().strip() + " already exists");
        }
        Range range = checkedRange(form, id);
        boolean rangeChanged = range.naaType != pool.getNaaType() || !range.first.equals(pool.getFirstWwn())
                || !range.last.equals(pool.getLastWwn()) || !Objects.equals(range.oui, pool.getOui());
        if (rangeChanged) {
            if (allocations.countByPoolId(id) > 0) {
                throw RuleViolation.conflict("firstWwn",
                        "the range of a pool that has allocated WWNs cannot change; create a new pool instead");
            }
            pool.setRange(range.naaType, range.first, range.last, range.oui);
        }
        pool.setName(form.name().strip());
        pool.setDescription(form.description());
        audit.change("UPDATE", "wwn_pool", id, "Changed WWN pool " + pool.getName(), before, WwnPoolForm.of(pool));
        return pool;
    }

    public void delete(long id) {
        WwnPool pool = get(id);
        if (allocations.countByPoolId(id) > 0) {
            throw RuleViolation.conflict(null, "pool " + pool.getName()
                    + " has allocation history; it cannot be deleted while its WWNs may still be zoned");
        }
        pools.delete(pool);
        audit.change("DELETE", "wwn_pool", id, "Deleted WWN pool " + pool.getName(), WwnPoolForm.of(pool), null);
    }

    @Transactional(readOnly = true)
    public PoolUsage usage(WwnPool pool) {
        return jdbc.queryForObject("""
                select count(*) filter (where released_at is null),
                       count(*) filter (where released_at is not null and reusable_after > ?)
                  from wwn_allocation where pool_id = ?
                """, (rs, row) -> new PoolUsage(pool.getSize(), rs.getLong(1), rs.getLong(2)),
                Timestamp.from(clock.instant()), pool.getId());
    }

    private Range checkedRange(WwnPoolForm form, Long poolId) {
        int naaType = form.naaType();
        if (!ALLOCATABLE_NAA_TYPES.contains(naaType)) {
            throw RuleViolation.invalid("naaType", "NAA type " + naaType + " cannot be pooled; use one of "
                    + ALLOCATABLE_NAA_TYPES);
        }
        Wwn first = WwnFields.parse(form.firstWwn(), "firstWwn");
        Wwn last = WwnFields.parse(form.lastWwn(), "lastWwn");
        String oui = form.oui() == null || form.oui().isBlank() ? null : normalizeOui(form.oui());
        checkNaaAndOui(first, "firstWwn", naaType, oui);
        checkNaaAndOui(last, "lastWwn", naaType, oui);
        if (first.compareTo(last) > 0) {
            throw RuleViolation.invalid("lastWwn", "must not be below the first WWN " + first);
        }
        List<String> overlapping = jdbc.queryForList("""
                select name from wwn_pool
                 where int8range(wwn_to_int8(first_wwn), wwn_to_int8(last_wwn), '[]')
                       && int8range(wwn_to_int8(?), wwn_to_int8(?), '[]')
                   and id is distinct from ?
                """, String.class, first.toString(), last.toString(), poolId);
        if (!overlapping.isEmpty()) {
            throw RuleViolation.conflict("firstWwn", "the range overlaps pool " + String.join(", ", overlapping));
        }
        return new Range(naaType, first, last, oui);
    }

    private static void checkNaaAndOui(Wwn wwn, String field, int naaType, String oui) {
        if (wwn.naaType() != naaType) {
            throw RuleViolation.invalid(field, wwn + " has NAA type " + wwn.naaType()
                    + " but the pool allows only NAA type " + naaType);
        }
        if (oui != null) {
            String actual = wwn.oui().orElse(null);
            if (actual == null) {
                throw RuleViolation.invalid("oui", "NAA type " + naaType + " names carry no OUI; leave it empty");
            }
            if (!actual.equals(oui)) {
                throw RuleViolation.invalid(field, wwn + " carries OUI " + actual + ", not the pool's " + oui);
            }
        }
    }

    private static String normalizeOui(String oui) {
        String hex = oui.replaceAll("[:-]", "").toLowerCase(Locale.ROOT);
        return hex.substring(0, 2) + ":" + hex.substring(2, 4) + ":" + hex.substring(4, 6);
    }

    private record Range(int naaType, Wwn first, Wwn last, String oui) {
    }

    /** How full a pool is: live allocations and released WWNs still in quarantine. */
    public record PoolUsage(long size, long allocated, long quarantined) {
        public long free() {
            return size - allocated - quarantined;
        }

        public int percentUsed() {
            return size == 0 ? 0 : (int) Math.min(100, Math.round(100.0 * (allocated + quarantined) / size));
        }
    }
}
