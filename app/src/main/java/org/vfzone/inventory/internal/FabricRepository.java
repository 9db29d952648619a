package org.vfzone.inventory.internal;

import org.vfzone.inventory.Fabric;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface FabricRepository extends JpaRepository<Fabric, Long> {

    List<Fabric> findAllByOrderByNameAsc();

    boolean existsByNameIgnoreCase(String name);

    boolean existsByNameIgnoreCaseAndIdNot(String name, Long id);

    java.util.Optional<Fabric> findByNameIgnoreCase(String name);
}
