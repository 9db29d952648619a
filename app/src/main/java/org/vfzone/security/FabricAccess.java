package org.vfzone.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.vfzone.inventory.FabricService;
import org.vfzone.system.RuleViolation;

/**
 * Checks a person's role on one fabric. A signed-in user carries {@code ROLE_<highest role>} for the URL rules plus
 * one {@code FABRIC_<role>_<fabric id|ALL>} authority per grant; planning, approving, pushing and adopting on a
 * fabric ask {@link #require}. Credentials without fabric grants (API tokens, which only an ADMIN creates) act on
 * every fabric with their role. With nobody signed in nothing is allowed: work resumed in the background runs as
 * the person who started it ({@link People#runAs}), and vfzone's own work as {@link People#SYSTEM}, which holds no
 * fabric role.
 */
@Component("fabricAccess")
public class FabricAccess {

    private final FabricService fabrics;

    FabricAccess(FabricService fabrics) {
        this.fabrics = fabrics;
    }

    static final String PREFIX = "FABRIC_";
    private static final String ALL = "ALL";

    /** The authorities a role with a scope grants. */
    static List<GrantedAuthority> authorities(Role role, FabricScope scope) {
        List<GrantedAuthority> granted = new ArrayList<>();
        if (scope.allFabrics()) {
            granted.add(new SimpleGrantedAuthority(PREFIX + role.name() + "_" + ALL));
        } else {
            scope.fabricIds().stream().sorted()
                    .forEach(id -> granted.add(new SimpleGrantedAuthority(PREFIX + role.name() + "_" + id)));
        }
        return granted;
    }

    /** Whether the signed-in person holds {@code required} (or a higher role) on the fabric. */
    public boolean allows(String required, long fabricId) {
        return allows(Role.valueOf(required), fabricId);
    }

    public boolean allows(Role required, long fabricId) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return roleOn(auth, fabricId).map(role -> role.compareTo(required) >= 0).orElse(false);
    }

    /** Refuses (HTTP 403, saying why) unless the signed-in person holds {@code required} on the fabric. */
    public void require(Role required, long fabricId, String fabricName, String action) {
        if (allows(required, fabricId)) {
            return;
        }
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        String held = roleOn(auth, fabricId).map(role -> "your role there is " + role).orElse("you have no role there");
        throw RuleViolation.forbidden(null, "You may not " + action + " fabric " + fabricName + ": it needs "
                + required + " on that fabric and " + held + " (" + describe(auth) + ")");
    }

    /** The highest role the person holds on the fabric; empty for anonymous requests. */
    static Optional<Role> roleOn(Authentication auth, long fabricId) {
        if (auth == null || auth instanceof AnonymousAuthenticationToken || !auth.isAuthenticated()) {
            return Optional.empty();
        }
        Collection<? extends GrantedAuthority> authorities = auth.getAuthorities();
        boolean scoped = authorities.stream().anyMatch(a -> a.getAuthority().startsWith(PREFIX));
        Role best = null;
        for (GrantedAuthority authority : authorities) {
            String name = authority.getAuthority();
            Role role = null;
            if (scoped && name.startsWith(PREFIX)) {
                String grant = name.substring(PREFIX.length());
                int cut = grant.lastIndexOf('_');
                String where = grant.substring(cut + 1);
                if (where.equals(ALL) || where.equals(Long.toString(fabricId))) {
                    role = parse(grant.substring(0, cut));
                }
            } else if (!scoped && name.startsWith("ROLE_")) {
                role = parse(name.substring(5));
            }
            if (role != null && (best == null || role.compareTo(best) > 0)) {
                best = role;
            }
        }
        if (best == null && scoped) {
            best = Role.VIEWER; // a scoped person still reads every fabric
        }
        return Optional.ofNullable(best);
    }

    /** Whether the signed-in person holds {@code required} (or higher) on at least one fabric. */
    public boolean holdsAnywhere(Role required) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || auth instanceof AnonymousAuthenticationToken || !auth.isAuthenticated()) {
            return false;
        }
        for (GrantedAuthority authority : auth.getAuthorities()) {
            String name = authority.getAuthority();
            Role role = null;
            if (name.startsWith(PREFIX)) {
                String grant = name.substring(PREFIX.length());
                role = parse(grant.substring(0, grant.lastIndexOf('_')));
            } else if (name.startsWith("ROLE_")) {
                role = parse(name.substring(5));
            }
            if (role != null && role.compareTo(required) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** "OPERATOR on fabrics 3, 7; VIEWER on all fabrics": the person's grants, for messages and their account page. */
    public String describeCurrent() {
        return describe(SecurityContextHolder.getContext().getAuthentication());
    }

    String describe(Authentication auth) {
        if (auth == null) {
            return "no grants";
        }
        Map<Role, List<String>> byRole = new TreeMap<>(Comparator.reverseOrder());
        boolean scoped = false;
        for (GrantedAuthority authority : auth.getAuthorities()) {
            String name = authority.getAuthority();
            if (name.startsWith(PREFIX)) {
                scoped = true;
                String grant = name.substring(PREFIX.length());
                int cut = grant.lastIndexOf('_');
                Role role = parse(grant.substring(0, cut));
                if (role != null) {
                    byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(grant.substring(cut + 1));
                }
            }
        }
        if (!scoped) {
            return auth.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                    .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5) + " on all fabrics").findFirst()
                    .orElse("no grants");
        }
        Map<String, String> names = new HashMap<>();
        fabrics.list().forEach(fabric -> names.put(Long.toString(fabric.getId()), fabric.getName()));
        List<String> parts = new ArrayList<>();
        byRole.forEach((role, where) -> parts.add(role + (where.contains(ALL) ? " on all fabrics"
                : " on " + String.join(", ", where.stream().map(id -> names.getOrDefault(id, "fabric " + id))
                .sorted().toList()))));
        return String.join("; ", parts);
    }

    private static Role parse(String name) {
        try {
            return Role.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
