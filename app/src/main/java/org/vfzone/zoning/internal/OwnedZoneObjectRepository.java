package org.vfzone.zoning.internal;

import org.vfzone.zoning.OwnedZoneObject;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface OwnedZoneObjectRepository extends JpaRepository<OwnedZoneObject, Long> {

    List<OwnedZoneObject> findByFabricId(Long fabricId);

    List<OwnedZoneObject> findByVmId(Long vmId);

    @Modifying
    @Query("delete from OwnedZoneObject o where o.fabricId = :fabricId")
    void deleteByFabricId(Long fabricId);
}
