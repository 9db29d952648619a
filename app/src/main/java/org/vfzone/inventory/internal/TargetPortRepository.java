package org.vfzone.inventory.internal;

import org.vfzone.inventory.TargetPort;
import java.util.List;

import org.springframework.data.jpa.repository.EntityGraph;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface TargetPortRepository extends JpaRepository<TargetPort, Long> {

    @EntityGraph(attributePaths = {"fabric"})
    List<TargetPort> findByArrayIdOrderByNameAsc(Long arrayId);

    boolean existsByArrayIdAndNameIgnoreCase(Long arrayId, String name);

    boolean existsByArrayIdAndNameIgnoreCaseAndIdNot(Long arrayId, String name, Long id);

    long countByFabricId(Long fabricId);

    @Override
    @EntityGraph(attributePaths = {"array", "fabric"})
    Optional<TargetPort> findById(Long id);
}
