package org.vfzone.security.internal;

import org.vfzone.security.AppUser;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface AppUserRepository extends JpaRepository<AppUser, Long> {

    Optional<AppUser> findByUsernameIgnoreCase(String username);

    List<AppUser> findAllByOrderByUsernameAsc();

    Optional<AppUser> findBySourceAndExternalId(AppUser.Source source, String externalId);
}
