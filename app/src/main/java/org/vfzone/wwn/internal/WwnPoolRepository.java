package org.vfzone.wwn.internal;

import org.vfzone.wwn.WwnPool;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface WwnPoolRepository extends JpaRepository<WwnPool, Long> {

    /** Row lock on the pool: allocations from one pool are serialized, across threads and app nodes alike. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select p from WwnPool p where p.id = :id")
    Optional<WwnPool> findByIdForUpdate(Long id);

    List<WwnPool> findAllByOrderByNameAsc();

    boolean existsByNameIgnoreCase(String name);

    boolean existsByNameIgnoreCaseAndIdNot(String name, Long id);
}
