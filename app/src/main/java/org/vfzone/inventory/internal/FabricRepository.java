package org.vfzone.inventory.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.vfzone.inventory.Fabric;

public interface FabricRepository extends JpaRepository<Fabric, Long> {

    List<Fabric> findAllByOrderByNameAsc();

    boolean existsByNameIgnoreCase(String name);

    boolean existsByNameIgnoreCaseAndIdNot(String name, Long id);

    Optional<Fabric> findByNameIgnoreCase(String name);
}
