package org.vfzone.wwn.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnAllocation;

public interface WwnAllocationRepository extends JpaRepository<WwnAllocation, Long> {

    Page<WwnAllocation> findByPoolIdOrderByAllocatedAtDescIdDesc(Long poolId, Pageable pageable);

    @Query("select a from WwnAllocation a join fetch a.pool where a.wwn = :wwn and a.releasedAt is null")
    Optional<WwnAllocation> findLive(Wwn wwn);

    List<WwnAllocation> findByVmIdAndReleasedAtIsNull(Long vmId);

    /** The newest released allocation of the WWN still in quarantine at {@code now} (at most one matters). */
    @Query("""
            select a from WwnAllocation a join fetch a.pool where a.wwn = :wwn and a.releasedAt is not null
               and a.reusableAfter > :now order by a.releasedAt desc limit 1
            """)
    Optional<WwnAllocation> findQuarantined(Wwn wwn, Instant now);

    long countByPoolId(Long poolId);
}
