package org.vfzone.inventory.internal;

import org.vfzone.inventory.VirtualFunction;
import java.util.List;

import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface VirtualFunctionRepository extends JpaRepository<VirtualFunction, Long> {

    @EntityGraph(attributePaths = {"vm"})
    List<VirtualFunction> findByAdapterIdOrderByVfIndexAsc(Long adapterId);

    @EntityGraph(attributePaths = {"adapter", "adapter.fabric", "adapter.host"})
    List<VirtualFunction> findByVmIdOrderByAdapterPciAddressAscVfIndexAsc(Long vmId);

    /** Free VFs of the host's adapters cabled to the fabric, lowest index first. */
    @Query("""
            select vf from VirtualFunction vf join fetch vf.adapter a
             where a.host.id = :hostId and a.fabric.id = :fabricId and vf.vm is null
             order by a.pciAddress, vf.vfIndex
            """)
    List<VirtualFunction> findFree(Long hostId, Long fabricId);

    @EntityGraph(attributePaths = {"adapter", "adapter.fabric"})
    @Query("""
            select vf from VirtualFunction vf
             where vf.adapter.host.id = :hostId and vf.vm is null
             order by vf.adapter.pciAddress, vf.vfIndex
            """)
    List<VirtualFunction> findFreeOnHost(Long hostId);

    long countByAdapterId(Long adapterId);

    long countByAdapterIdAndVmIsNotNull(Long adapterId);

    @Query("select coalesce(max(vf.vfIndex), -1) from VirtualFunction vf where vf.adapter.id = :adapterId")
    int maxIndex(Long adapterId);
}
