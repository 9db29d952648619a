package org.vfzone.inventory.internal;

import org.vfzone.inventory.Vm;
import java.util.UUID;

import org.springframework.data.jpa.repository.EntityGraph;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface VmRepository extends JpaRepository<Vm, Long> {

    boolean existsByNameIgnoreCase(String name);

    boolean existsByNameIgnoreCaseAndIdNot(String name, Long id);

    boolean existsByUuid(UUID uuid);

    boolean existsByUuidAndIdNot(UUID uuid, Long id);

    long countByHostId(Long hostId);

    @Override
    @EntityGraph(attributePaths = {"host"})
    Optional<Vm> findById(Long id);

    @EntityGraph(attributePaths = {"host"})
    Optional<Vm> findByNameIgnoreCase(String name);
}
