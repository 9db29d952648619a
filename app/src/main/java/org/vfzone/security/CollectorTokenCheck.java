package org.vfzone.security;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;
import org.vfzone.system.CollectorTokens;

/**
 * The API's rule for posting readings (COLLECTOR, or OPERATOR and the roles above it) applied to a bearer token, the
 * same way the API's filter chain authenticates and authorises it: same token lookup, revocation and maker's rights,
 * same role hierarchy.
 */
@Component
class CollectorTokenCheck implements CollectorTokens {

    private final ApiTokenService tokens;
    private final RoleHierarchy roleHierarchy;
    private final Map<String, Boolean> decided = new ConcurrentHashMap<>();

    CollectorTokenCheck(ApiTokenService tokens, RoleHierarchy roleHierarchy) {
        this.tokens = tokens;
        this.roleHierarchy = roleHierarchy;
    }

    @Override
    public Optional<String> readingsPoster(String bearerToken) {
        return tokens.authenticate(bearerToken).filter(this::mayPostReadings)
                .map(holder -> ApiTokenService.TOKEN_PRINCIPAL_PREFIX + holder.name());
    }

    /** Decided once per role: the answer depends on the role alone (a COLLECTOR token acts on no fabric). */
    private boolean mayPostReadings(ApiTokenService.Holder holder) {
        return decided.computeIfAbsent(holder.role(), role -> roleHierarchy.getReachableGrantedAuthorities(
                        BearerTokenFilter.authenticationOf(holder).getAuthorities()).stream()
                .map(GrantedAuthority::getAuthority)
                .anyMatch(authority -> authority.equals("ROLE_COLLECTOR")
                        || authority.equals("ROLE_" + Role.OPERATOR.name())));
    }
}
