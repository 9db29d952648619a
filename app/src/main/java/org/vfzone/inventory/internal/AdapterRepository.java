package org.vfzone.inventory.internal;

import org.vfzone.inventory.Adapter;
import java.util.List;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.EntityGraph;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface AdapterRepository extends JpaRepository<Adapter, Long> {

    @EntityGraph(attributePaths = {"fabric", "host"})
    List<Adapter> findByHostIdOrderByPciAddressAsc(Long hostId);

    @EntityGraph(attributePaths = {"fabric", "host"})
    @Query("select a from Adapter a order by a.host.name, a.pciAddress")
    List<Adapter> findAllWithHostAndFabric();

    /** Locks the adapter while its VFs change, so VF count checks see a stable picture. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select a from Adapter a where a.id = :id")
    Optional<Adapter> findByIdForUpdate(Long id);

    boolean existsByHostIdAndPciAddress(Long hostId, String pciAddress);

    boolean existsByHostIdAndPciAddressAndIdNot(Long hostId, String pciAddress, Long id);

    long countByFabricId(Long fabricId);

    long countByHostId(Long hostId);

    @Override
    @EntityGraph(attributePaths = {"host", "fabric"})
    Optional<Adapter> findById(Long id);

    @EntityGraph(attributePaths = {"host", "fabric"})
    Optional<Adapter> findByHostIdAndPciAddress(Long hostId, String pciAddress);
}
