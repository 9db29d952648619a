package org.vfzone.security;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.system.RuleViolation;

/**
 * Who a principal is: every way in (form, HTTP Basic, directory, API token) resolves to one {@code app_user} id.
 * Four-eyes rules compare these ids, never the names people typed.
 */
@Service
public class People {

    /**
     * The principal name of vfzone's own background work (push recovery, drift checks, login discovery,
     * notification delivery, traffic housekeeping). It holds no role on any fabric: it never plans, approves or
     * pushes. No user may take this name.
     */
    public static final String SYSTEM = "system";

    private final JdbcTemplate jdbc;
    private final ApiTokenService tokens;

    People(JdbcTemplate jdbc, ApiTokenService tokens) {
        this.jdbc = jdbc;
        this.tokens = tokens;
    }

    /**
     * The rights {@code principal} holds now, read from the database as a sign-in would grant them: a user's role
     * and fabrics (refused when disabled or unknown), a token's role on the fabrics it and its maker cover (refused
     * when revoked or its maker lost the role). Empty when the principal may not act at all.
     */
    @Transactional(readOnly = true)
    public Optional<Authentication> authenticationOf(String principal) {
        if (principal == null || principal.isEmpty() || SYSTEM.equals(principal)) {
            return Optional.empty();
        }
        if (principal.startsWith(ApiTokenService.TOKEN_PRINCIPAL_PREFIX)) {
            return tokens.holderByName(principal.substring(ApiTokenService.TOKEN_PRINCIPAL_PREFIX.length()))
                    .map(BearerTokenFilter::authenticationOf);
        }
        return jdbc.query("select username, role, all_fabrics, array(select fabric_id from app_user_fabric "
                + "where user_id = u.id) from app_user u where lower(username) = lower(?) and enabled", (rs, i) -> {
                    return (Authentication) org.springframework.security
                            .authentication.UsernamePasswordAuthenticationToken.authenticated(rs.getString(1), null, SecurityConfiguration.grantedTo(
                                    Role.valueOf(rs.getString(2)), FabricScope.of(rs.getBoolean(3), rs.getArray(4))));
                }, principal).stream().findFirst();
    }

    /**
     * Runs {@code work} with exactly the rights {@code principal} holds now (see {@link #authenticationOf}); refused
     * (403, saying why) when they may not act. For work a person started that continues without them.
     */
    public <T> T runAs(String principal, Supplier<T> work) {
        Authentication auth = authenticationOf(principal).orElseThrow(() ->
                RuleViolation.forbidden(null, principal + " may no longer act in vfzone (disabled, revoked or "
                        + "unknown)"));
        return withContext(auth, work);
    }

    /** Runs vfzone's own background work as {@link #SYSTEM}, which holds no fabric role. */
    public static <T> T runAsSystem(Supplier<T> work) {
        return withContext(UsernamePasswordAuthenticationToken
                .authenticated(SYSTEM, null, List.of(new org.springframework.security.core.authority
                        .SimpleGrantedAuthority("ROLE_SYSTEM"))), work);
    }

    public static void runAsSystem(Runnable work) {
        runAsSystem(() -> {
            work.run();
            return null;
        });
    }

    private static <T> T withContext(Authentication auth,
                                     Supplier<T> work) {
        SecurityContext before =
                SecurityContextHolder.getContext();
        SecurityContext context =
                SecurityContextHolder.createEmptyContext();
        context.setAuthentication(auth);
        SecurityContextHolder.setContext(context);
        try {
            return work.get();
        } finally {
            SecurityContextHolder.setContext(before);
        }
    }

    /**
     * The person behind a principal name: the maker of the token for {@code token:<name>}, the user of that
     * (canonical) name otherwise; empty for work without a person and for names vfzone does not know.
     */
    @Transactional(readOnly = true)
    public Optional<Long> idOf(String principal) {
        if (principal == null || principal.isEmpty()) {
            return Optional.empty();
        }
        List<Long> ids = principal.startsWith(ApiTokenService.TOKEN_PRINCIPAL_PREFIX)
                ? jdbc.queryForList("select created_by_user_id from api_token where lower(name) = lower(?) "
                        + "and created_by_user_id is not null", Long.class,
                        principal.substring(ApiTokenService.TOKEN_PRINCIPAL_PREFIX.length()))
                : jdbc.queryForList("select id from app_user where lower(username) = lower(?)", Long.class, principal);
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    /**
     * The person acting now, for a four-eyes decision: refused (403) when the principal is no known person, so an
     * approval can never be recorded without an identity to compare.
     */
    @Transactional(readOnly = true)
    public long requirePerson(String principal, String action) {
        return idOf(principal).orElseThrow(() -> RuleViolation.forbidden(null, "You may not " + action
                + ": " + principal + " is not a person vfzone knows"));
    }
}
