package org.vfzone.zoning.internal;

import java.util.List;

import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.vfzone.zoning.StorageAccess;

public interface StorageAccessRepository extends JpaRepository<StorageAccess, Long> {

    @EntityGraph(attributePaths = {"array"})
    List<StorageAccess> findByVmIdOrderByArrayNameAsc(Long vmId);

    @EntityGraph(attributePaths = {"vm", "array"})
    @Query("select a.vm.id from StorageAccess a where a.array.id = :arrayId")
    List<Long> vmIdsByArrayId(long arrayId);

    List<StorageAccess> findByArrayIdOrderByVmNameAsc(Long arrayId);

    boolean existsByVmIdAndArrayId(Long vmId, Long arrayId);
}
