package org.vfzone.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.system.RuleViolation;

/** Creates, checks and revokes API tokens. A token is shown once; vfzone keeps only its hash. */
@Service
public class ApiTokenService {

    public record Created(long id, String name, String token) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final ApiTokenCache cache;
    private final TokenRevocations revocations;

    ApiTokenService(JdbcTemplate jdbc, Clock clock, ApiTokenCache cache, TokenRevocations revocations) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.cache = cache;
        this.revocations = revocations;
    }

    @Transactional
    public Created create(String name, String role, String user) {
        if (name == null || !name.matches("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")) {
            throw RuleViolation.invalid("name", "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (!List.of("COLLECTOR", "VIEWER", "OPERATOR").contains(role)) {
            throw RuleViolation.invalid("role", "must be COLLECTOR, VIEWER or OPERATOR");
        }
        Long exists = jdbc.queryForObject("select count(*) from api_token where lower(name) = lower(?)", Long.class, name);
        if (exists != null && exists > 0) {
            throw RuleViolation.conflict("name", "a token named " + name + " already exists");
        }
        String token = "vfz_" + UserService.randomPassword() + UserService.randomPassword();
        Long id = jdbc.queryForObject("insert into api_token (name, token_hash, role, created_by, created_at) "
                + "values (?, ?, ?, ?, ?) returning id", Long.class, name, hash(token), role, user,
                Timestamp.from(clock.instant()));
        return new Created(id, name, token);
    }

    /**
     * The role a presented token grants, if it is valid. Revocation takes effect at once; "last used" is written at
     * most once a minute per token, so a collector posting every few seconds does not add a write to each batch.
     * No transaction around it: one read, and now and then one single-statement write.
     */
    public Optional<Holder> authenticate(String token) {
        String tokenHash = hash(token);
        // kept for a minute, and only while this node hears revocations: a revoked token is refused at once
        boolean cacheable = revocations.listening();
        if (cacheable) {
            Optional<ApiTokenCache.Entry> hit = cache.get(tokenHash);
            if (hit.isPresent()) {
                return Optional.of(hit.get().holder());
            }
        }
        long generation = revocations.generation();
        record Found(Holder holder, boolean lastUseStale) {
        }
        List<Found> found = jdbc.query("select name, role, last_used_at is null "
                + "or last_used_at < now() - interval '1 minute' from api_token where token_hash = ? and not revoked",
                (rs, i) -> new Found(new Holder(rs.getString(1), rs.getString(2)), rs.getBoolean(3)), tokenHash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.get(0).lastUseStale()) {
            jdbc.update("update api_token set last_used_at = now() where token_hash = ?", tokenHash);
        }
        if (cacheable && revocations.generation() == generation) {
            cache.put(tokenHash, new ApiTokenCache.Entry(found.get(0).holder()));
        }
        return Optional.of(found.get(0).holder());
    }

    /** Who a presented token speaks for: its name and the role it grants. */
    public record Holder(String name, String role) {
    }

    /** A token as the users page lists it; the secret itself is never kept. */
    public record Listed(long id, String name, String role, String createdBy, java.time.Instant createdAt,
                         java.time.Instant lastUsedAt, boolean revoked) {
    }

    /** Principal names of requests made with a token: {@code token:<name>}. */
    public static final String TOKEN_PRINCIPAL_PREFIX = "token:";

    /**
     * The person accountable for what {@code principal} did: the user who created the token for a token
     * principal, the principal itself otherwise. Four-eyes rules compare people, not credentials.
     */
    public String accountablePerson(String principal) {
        if (principal == null || !principal.startsWith(TOKEN_PRINCIPAL_PREFIX)) {
            return principal;
        }
        List<String> creator = jdbc.queryForList("select created_by from api_token where lower(name) = lower(?)",
                String.class, principal.substring(TOKEN_PRINCIPAL_PREFIX.length()));
        return creator.isEmpty() ? principal : creator.get(0);
    }

    /** Revokes the token on every node at once: the notification goes out when the revocation commits. */
    @Transactional
    public void revoke(long id) {
        jdbc.update("update api_token set revoked = true where id = ?", id);
        jdbc.queryForList("select pg_notify(?, ?)", String.class, TokenRevocations.CHANNEL, Long.toString(id));
        org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                new org.springframework.transaction.support.TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        revocations.revoked();
                    }
                });
    }

    @Transactional(readOnly = true)
    public List<Listed> list() {
        return jdbc.query("select id, name, role, created_by, created_at, last_used_at, revoked from api_token order by name",
                (rs, i) -> new Listed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant(),
                        rs.getBoolean(7)));
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
