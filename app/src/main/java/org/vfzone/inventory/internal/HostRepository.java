package org.vfzone.inventory.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.vfzone.inventory.Host;

public interface HostRepository extends JpaRepository<Host, Long> {

    @Query("""
            select h from Host h
             where :q = '' or lower(h.name) like concat('%', :q, '%') or lower(h.cluster) like concat('%', :q, '%')
            """)
    Page<Host> search(String q, Pageable pageable);

    List<Host> findAllByOrderByNameAsc();

    boolean existsByNameIgnoreCase(String name);

    boolean existsByNameIgnoreCaseAndIdNot(String name, Long id);

    Optional<Host> findByNameIgnoreCase(String name);

    /** The host of a cluster (any case) with the most VFs free; among equals, the first by name. */
    @Query(value = """
            select h.id from host h
              left join adapter a on a.host_id = h.id
              left join virtual_function vf on vf.adapter_id = a.id and vf.vm_id is null
             where lower(h.cluster) = lower(:cluster)
             group by h.id, h.name
             order by count(vf.id) desc, h.name collate "C"
             limit 1
            """, nativeQuery = true)
    Optional<Long> roomiestOfCluster(String cluster);
}
