package org.vfzone.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;

/**
 * A person's groups (from the directory or an OpenID Connect provider) → {@code ROLE_<highest role>} and one fabric
 * grant per mapped group and fabric. Group names compare without case; a mapping naming a fabric vfzone does not know
 * is skipped.
 */
final class GroupGrants {

    private static final Logger log = LoggerFactory.getLogger(GroupGrants.class);

    private GroupGrants() {
    }

    static List<GrantedAuthority> authorities(List<DirectoryProperties.GroupGrant> mappings,
                                              Collection<String> groups, FabricService fabrics) {
        Set<String> groupNames = groups.stream().map(g -> g.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<GrantedAuthority> granted = new ArrayList<>();
        Role highest = null;
        for (DirectoryProperties.GroupGrant grant : mappings) {
            if (grant.group() == null || grant.role() == null
                    || !groupNames.contains(grant.group().toLowerCase(Locale.ROOT))) {
                continue;
            }
            FabricScope scope = grant.fabrics().isEmpty() ? FabricScope.ALL : FabricScope.only(
                    grant.fabrics().stream().map(name -> fabricId(fabrics, name)).flatMap(Optional::stream)
                            .collect(Collectors.toSet()));
            if (!scope.allFabrics() && scope.fabricIds().isEmpty()) {
                continue;
            }
            granted.addAll(FabricAccess.authorities(grant.role(), scope));
            if (highest == null || grant.role().compareTo(highest) > 0) {
                highest = grant.role();
            }
        }
        if (highest != null) {
            granted.add(new SimpleGrantedAuthority("ROLE_" + highest.name()));
        }
        return granted;
    }

    /** The highest role the grants hold, if any. */
    static Optional<Role> highest(Collection<? extends GrantedAuthority> authorities) {
        return authorities.stream().map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("ROLE_"))
                .map(a -> Role.valueOf(a.substring(5))).findFirst();
    }

    /** Where the person's highest role applies: what their tokens may use at most. */
    static FabricScope scopeOf(Role role, Collection<? extends GrantedAuthority> authorities) {
        String prefix = FabricAccess.PREFIX + role.name() + "_";
        Set<Long> ids = new HashSet<>();
        for (GrantedAuthority authority : authorities) {
            String name = authority.getAuthority();
            if (name.startsWith(prefix)) {
                String where = name.substring(prefix.length());
                if (where.equals("ALL")) {
                    return FabricScope.ALL;
                }
                ids.add(Long.parseLong(where));
            }
        }
        return FabricScope.only(ids);
    }

    /** A name a person may carry: 1-64 characters, no control character, no surrounding space. */
    static boolean usableName(String name) {
        return name != null && !name.isBlank() && name.length() <= 64 && name.equals(name.strip())
                && name.chars().noneMatch(Character::isISOControl);
    }

    private static Optional<Long> fabricId(FabricService fabrics, String name) {
        Optional<Long> id = fabrics.findByName(name).map(Fabric::getId);
        if (id.isEmpty()) {
            log.warn("A group mapping names fabric {}, which vfzone does not know; that grant is skipped", name);
        }
        return id;
    }
}
