package org.vfzone.inventory.internal;

import org.vfzone.inventory.VmFabricIdentity;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;

public interface VmFabricIdentityRepository extends JpaRepository<VmFabricIdentity, Long> {

    @EntityGraph(attributePaths = {"fabric"})
    List<VmFabricIdentity> findByVmIdOrderByFabricNameAsc(Long vmId);

    Optional<VmFabricIdentity> findByVmIdAndFabricId(Long vmId, Long fabricId);

    long countByFabricId(Long fabricId);
}
