package org.vfzone.security;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.system.RuleViolation;

/**
 * Who a principal is: every way in (form, HTTP Basic, directory, API token) resolves to one {@code app_user} id.
 * Four-eyes rules compare these ids, never the names people typed.
 */
@Service
public class People {

    private final JdbcTemplate jdbc;

    People(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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

    /** The user name of a person id, for messages. */
    @Transactional(readOnly = true)
    public String nameOf(long userId) {
        List<String> names = jdbc.queryForList("select username from app_user where id = ?", String.class, userId);
        return names.isEmpty() ? "user " + userId : names.get(0);
    }
}
