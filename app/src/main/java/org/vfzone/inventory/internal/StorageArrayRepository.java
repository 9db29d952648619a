package org.vfzone.inventory.internal;

import org.vfzone.inventory.StorageArray;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface StorageArrayRepository extends JpaRepository<StorageArray, Long> {

    List<StorageArray> findAllByOrderByNameAsc();

    boolean existsByNameIgnoreCase(String name);

    boolean existsByNameIgnoreCaseAndIdNot(String name, Long id);

    java.util.Optional<StorageArray> findByNameIgnoreCase(String name);
}
