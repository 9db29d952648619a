package org.vfzone.security;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.FabricService;

/**
 * Signs a person in with the ID token of the OpenID Connect provider: their name from the configured claim, their
 * groups mapped to roles and fabrics as directory groups are, one vfzone user per issuer and subject (made at their
 * first sign-in; an ADMIN can disable it). Someone in no mapped group, or with a name a local user holds, cannot
 * sign in this way.
 */
class OidcSignIn implements OAuth2UserService<OidcUserRequest, OidcUser> {

    private final OidcUserService provider = new OidcUserService();
    private final OidcProperties properties;
    private final UserService users;
    private final FabricService fabrics;
    private final AuditLog audit;

    OidcSignIn(OidcProperties properties, UserService users, FabricService fabrics, AuditLog audit) {
        this.audit = audit;
        this.properties = properties;
        this.users = users;
        this.fabrics = fabrics;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser person = provider.loadUser(request);
        Object claimed = person.getClaims().get(properties.usernameClaim());
        String name = claimed == null ? null : claimed.toString().strip();
        if (!GroupGrants.usableName(name)) {
            throw refused("invalid_user", "the provider's " + properties.usernameClaim() + " claim is missing or not a "
                    + "usable name");
        }
        List<GrantedAuthority> granted = GroupGrants.authorities(properties.groups(), groups(person), fabrics);
        Optional<Role> highest = GroupGrants.highest(granted);
        if (highest.isEmpty()) {
            throw audited(name, "account " + name + " is in no group mapped to a vfzone role");
        }
        if (users.isLocal(name)) {
            throw audited(name, name + " is a local vfzone user: sign in with the password form");
        }
        AppUser user;
        try {
            user = users.externalSignIn(AppUser.Source.OIDC, person.getIssuer() + "#" + person.getSubject(), name,
                    highest.get(), GroupGrants.scopeOf(highest.get(), granted));
        } catch (AuthenticationException e) {
            throw audited(name, e.getMessage());
        }
        String canonical = user.getUsername();
        return new DefaultOidcUser(granted, person.getIdToken(), person.getUserInfo(), properties.usernameClaim()) {
            @Override
            public String getName() {
                return canonical;
            }
        };
    }

    private Collection<String> groups(OidcUser person) {
        Object claim = person.getClaims().get(properties.groupsClaim());
        if (claim instanceof Collection<?> many) {
            return many.stream().map(String::valueOf).toList();
        }
        return claim == null ? List.of() : List.of(String.valueOf(claim));
    }

    /** A refusal of a named person, kept in the audit trail as every failed sign-in is. */
    private OAuth2AuthenticationException audited(String name, String reason) {
        audit.recordIndependently(name, "LOGIN_FAILED", "user", null, "Single sign-on refused: " + reason, null);
        return refused("access_denied", reason);
    }

    private static OAuth2AuthenticationException refused(String code, String reason) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, reason, null), reason);
    }
}
