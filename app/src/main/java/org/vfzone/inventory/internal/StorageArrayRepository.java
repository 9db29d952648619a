package org.vfzone.inventory.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.vfzone.inventory.StorageArray;

public interface StorageArrayRepository extends JpaRepository<StorageArray, Long> {

    List<StorageArray> findAllByOrderByNameAsc();

    boolean existsByNameIgnoreCase(String name);

    boolean existsByNameIgnoreCaseAndIdNot(String name, Long id);

    Optional<StorageArray> findByNameIgnoreCase(String name);
}
