package org.vfzone.audit.internal;

import org.vfzone.audit.AuditEvent;
import java.time.Instant;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface AuditEventRepository extends JpaRepository<AuditEvent, Long> {

    @Query("""
            select e from AuditEvent e
             where (:actor = '' or lower(e.actor) = lower(:actor) or lower(e.onBehalfOf) = lower(:actor))
               and (:objectType = '' or e.objectType = :objectType)
               and (:text = '' or lower(e.summary) like concat('%', lower(:text), '%'))
               and e.at >= :from
            """)
    Page<AuditEvent> search(String actor, String objectType, String text, Instant from, Pageable pageable);

    Page<AuditEvent> findByObjectTypeAndObjectIdOrderByAtDescIdDesc(String objectType, Long objectId,
                                                                    Pageable pageable);
}
