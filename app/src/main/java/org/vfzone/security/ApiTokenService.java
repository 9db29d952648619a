package org.vfzone.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
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
        return create(name, role, user, null);
    }

    /**
     * Makes a token for the signed-in {@code user}: it acts with their rights at most — never a role above theirs,
     * only on fabrics where they hold that role — narrowed to {@code scope} when one is given (null: all the maker's
     * fabrics).
     */
    @Transactional
    public Created create(String name, String role, String user, FabricScope scope) {
        if (name == null || !name.matches("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")) {
            throw RuleViolation.invalid("name", "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (role == null || !List.of("COLLECTOR", "VIEWER", "OPERATOR").contains(role)) {
            throw RuleViolation.invalid("role", "must be COLLECTOR, VIEWER or OPERATOR");
        }
        Maker maker = maker(user).orElseThrow(() -> RuleViolation.forbidden(null, "Only a user vfzone knows may "
                + "make an API token; " + user + " is none"));
        if (!maker.enabled() || maker.role().compareTo(neededFor(role)) < 0) {
            throw RuleViolation.invalid("role", "a " + role + " token needs its maker to be " + neededFor(role)
                    + " or higher; you are " + maker.role());
        }
        FabricScope granted = scope == null ? maker.scope() : scope;
        if (!granted.allFabrics() && granted.fabricIds().isEmpty()) {
            throw RuleViolation.invalid("fabricIds", "choose at least one fabric, or all fabrics");
        }
        if (!within(granted, maker.scope())) {
            throw RuleViolation.invalid("fabricIds", "a token gets at most your own fabrics ("
                    + (maker.scope().allFabrics() ? "all" : "ids " + new TreeSet<>(maker.scope().fabricIds()))
                    + ")");
        }
        Long exists = jdbc.queryForObject("select count(*) from api_token where lower(name) = lower(?)", Long.class, name);
        if (exists != null && exists > 0) {
            throw RuleViolation.conflict("name", "a token named " + name + " already exists");
        }
        String token = "vfz_" + UserService.randomPassword() + UserService.randomPassword();
        Long id = jdbc.queryForObject("insert into api_token (name, token_hash, role, created_by, created_by_user_id, "
                + "created_at, all_fabrics) values (?, ?, ?, ?, ?, ?, ?) returning id", Long.class, name, hash(token),
                role, maker.name(), maker.id(), Timestamp.from(clock.instant()), granted.allFabrics());
        for (Long fabricId : granted.fabricIds()) {
            try {
                jdbc.update("insert into api_token_fabric (token_id, fabric_id) values (?, ?)", id, fabricId);
            } catch (DataIntegrityViolationException e) {
                throw RuleViolation.invalid("fabricIds", "there is no fabric with id " + fabricId);
            }
        }
        return new Created(id, name, token);
    }

    /** A COLLECTOR token posts traffic and host discoveries, which the API grants OPERATOR too. */
    static Role neededFor(String tokenRole) {
        return "VIEWER".equals(tokenRole) ? Role.VIEWER : Role.OPERATOR;
    }

    private static boolean within(FabricScope asked, FabricScope held) {
        return held.allFabrics() || (!asked.allFabrics() && held.fabricIds().containsAll(asked.fabricIds()));
    }

    private static FabricScope intersect(FabricScope a, FabricScope b) {
        if (a.allFabrics()) {
            return b;
        }
        if (b.allFabrics()) {
            return a;
        }
        Set<Long> both = new HashSet<>(a.fabricIds());
        both.retainAll(b.fabricIds());
        return FabricScope.only(both);
    }

    private record Maker(long id, String name, Role role, boolean enabled, FabricScope scope) {
    }

    private Optional<Maker> maker(String principal) {
        if (principal == null || principal.startsWith(TOKEN_PRINCIPAL_PREFIX)) {
            return Optional.empty(); // a token does not make tokens
        }
        return jdbc.query("select id, username, role, enabled, all_fabrics, array(select fabric_id from app_user_fabric "
                + "where user_id = u.id) from app_user u where lower(username) = lower(?)", (rs, i) -> new Maker(
                        rs.getLong(1), rs.getString(2), Role.valueOf(rs.getString(3)), rs.getBoolean(4),
                        FabricScope.of(rs.getBoolean(5), rs.getArray(6))), principal).stream().findFirst();
    }

    /**
     * Whom a presented token speaks for, if it is valid: its role on the fabrics both it and its maker cover, while its
     * maker is enabled and still holds the token's role. Revocation and a change of the maker's rights take effect at
     * once; "last used" is written at most once a minute per token, so a collector posting every few seconds does not
     * add a write to each batch. No transaction around it: one read, and now and then one single-statement write.
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
        List<Found> found = jdbc.query(HOLDER_QUERY + "where t.token_hash = ? and not t.revoked and u.enabled",
                (rs, i) -> {
                    boolean lastUseStale = rs.getBoolean(3);
                    return holder(rs).map(holder -> new Found(holder, lastUseStale)).orElse(null);
                }, tokenHash)
                .stream().filter(Objects::nonNull).toList();
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

    private static final String HOLDER_QUERY = """
            select t.name, t.role, t.last_used_at is null or t.last_used_at < now() - interval '1 minute',
                   t.all_fabrics, array(select fabric_id from api_token_fabric where token_id = t.id),
                   u.role, u.all_fabrics, array(select fabric_id from app_user_fabric where user_id = u.id)
            from api_token t join app_user u on u.id = t.created_by_user_id
            """;

    /** Whom the token of this name speaks for now, as {@link #authenticate} would answer: for work resumed later. */
    Optional<Holder> holderByName(String name) {
        return jdbc.query(HOLDER_QUERY + "where lower(t.name) = lower(?) and not t.revoked and u.enabled",
                (rs, i) -> holder(rs).orElse(null), name).stream().filter(Objects::nonNull).findFirst();
    }

    /**
     * A row of {@link #HOLDER_QUERY}: the token's role on the fabrics it and its maker both cover; empty when the
     * maker no longer holds the token's role.
     */
    private static Optional<Holder> holder(ResultSet rs) throws SQLException {
        String role = rs.getString(2);
        if (Role.valueOf(rs.getString(6)).compareTo(neededFor(role)) < 0) {
            return Optional.empty();
        }
        return Optional.of(new Holder(rs.getString(1), role, intersect(FabricScope.of(rs.getBoolean(4),
                rs.getArray(5)), FabricScope.of(rs.getBoolean(7), rs.getArray(8)))));
    }

    /** Who a presented token speaks for: its name, the role it grants and the fabrics where it grants it. */
    public record Holder(String name, String role, FabricScope scope) {
    }

    /** A token as the users page lists it; the secret itself is never kept. */
    public record Listed(long id, String name, String role, String createdBy, Instant createdAt,
                         Instant lastUsedAt, boolean revoked, FabricScope scope) {
    }

    /** Principal names of requests made with a token: {@code token:<name>}. */
    public static final String TOKEN_PRINCIPAL_PREFIX = "token:";

    /** Revokes the token on every node at once: the notification goes out when the revocation commits. */
    @Transactional
    public void revoke(long id) {
        jdbc.update("update api_token set revoked = true where id = ?", id);
        jdbc.queryForList("select pg_notify(?, ?)", String.class, TokenRevocations.CHANNEL, Long.toString(id));
        TransactionSynchronizationManager.registerSynchronization(
                new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        revocations.revoked();
                    }
                });
    }

    @Transactional(readOnly = true)
    public List<Listed> list() {
        return jdbc.query("select id, name, role, created_by, created_at, last_used_at, revoked, all_fabrics, "
                + "array(select fabric_id from api_token_fabric where token_id = t.id) from api_token t order by name",
                (rs, i) -> new Listed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant(),
                        rs.getBoolean(7), FabricScope.of(rs.getBoolean(8), rs.getArray(9))));
    }

    static String hash(String token) {
        return HexFormat.of().formatHex(SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** One digest per thread: looking the algorithm up costs every collector request more than hashing its token. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
}
