package org.vfzone.zoning.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.vfzone.zoning.ChangeSet;
import org.vfzone.zoning.ChangeSetStatus;

public interface ChangeSetRepository extends JpaRepository<ChangeSet, Long> {

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select c from ChangeSet c where c.id = :id")
    Optional<ChangeSet> findByIdForUpdate(Long id);

    Page<ChangeSet> findAllByOrderByCreatedAtDescIdDesc(Pageable pageable);

    @Query("""
            select c from ChangeSet c
             where (:status is null or c.status = :status) and (:fabricId is null or c.fabricId = :fabricId)
               and (:outcome is null or c.outcome = :outcome)
               and (:attention = false or not exists (select d from ChangeSet d where d.fabricId = c.fabricId
                    and d.status = org.vfzone.zoning.ChangeSetStatus.DONE and d.finishedAt > c.finishedAt))
            """)
    Page<ChangeSet> search(ChangeSetStatus status, Long fabricId, ChangeSet.Outcome outcome, boolean attention,
                           Pageable pageable);

    List<ChangeSet> findByStatusOrderById(ChangeSetStatus status);

    List<ChangeSet> findByPlanBatchOrderById(UUID planBatch);

    List<ChangeSet> findByFabricIdAndStatusIn(Long fabricId, List<ChangeSetStatus> statuses);
}
