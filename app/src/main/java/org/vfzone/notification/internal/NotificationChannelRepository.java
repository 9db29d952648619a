package org.vfzone.notification.internal;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.vfzone.notification.NotificationChannel;

public interface NotificationChannelRepository extends JpaRepository<NotificationChannel, Long> {

    List<NotificationChannel> findAllByOrderByNameAsc();

    List<NotificationChannel> findByEnabledTrue();

    boolean existsByNameIgnoreCase(String name);
}
