package org.vfzone.zoning.internal;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.vfzone.zoning.StorageAccess;

public interface StorageAccessRepository extends JpaRepository<StorageAccess, Long> {

    List<StorageAccess> findByVmId(Long vmId);

    @Query("select a.vmId from StorageAccess a where a.arrayId = :arrayId")
    List<Long> vmIdsByArrayId(long arrayId);

    List<StorageAccess> findByArrayId(Long arrayId);

    boolean existsByVmIdAndArrayId(Long vmId, Long arrayId);
}
