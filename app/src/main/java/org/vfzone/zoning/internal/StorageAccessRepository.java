package org.vfzone.zoning.internal;

import org.vfzone.zoning.StorageAccess;
import java.util.List;

import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;

public interface StorageAccessRepository extends JpaRepository<StorageAccess, Long> {

    @EntityGraph(attributePaths = {"array"})
    List<StorageAccess> findByVmIdOrderByArrayNameAsc(Long vmId);

    @EntityGraph(attributePaths = {"vm", "array"})
    @org.springframework.data.jpa.repository.Query("select a.vm.id from StorageAccess a where a.array.id = :arrayId")
    List<Long> vmIdsByArrayId(long arrayId);

    List<StorageAccess> findByArrayIdOrderByVmNameAsc(Long arrayId);

    boolean existsByVmIdAndArrayId(Long vmId, Long arrayId);
}
