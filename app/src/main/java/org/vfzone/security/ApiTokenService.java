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
import org.vfzone.system.InventoryException;

/** Creates, checks and revokes API tokens. A token is shown once; vfzone keeps only its hash. */
@Service
public class ApiTokenService {

    public record Created(long id, String name, String token) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    ApiTokenService(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public Created create(String name, String role, String user) {
        if (name == null || !name.matches("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")) {
            throw InventoryException.invalid("name", "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (!List.of("COLLECTOR", "VIEWER", "OPERATOR").contains(role)) {
            throw InventoryException.invalid("role", "must be COLLECTOR, VIEWER or OPERATOR");
        }
        Long exists = jdbc.queryForObject("select count(*) from api_token where lower(name) = lower(?)", Long.class, name);
        if (exists != null && exists > 0) {
            throw InventoryException.conflict("name", "a token named " + name + " already exists");
        }
        String token = "vfz_" + UserService.randomPassword() + UserService.randomPassword();
        Long id = jdbc.queryForObject("insert into api_token (name, token_hash, role, created_by, created_at) "
                + "values (?, ?, ?, ?, ?) returning id", Long.class, name, hash(token), role, user,
                Timestamp.from(clock.instant()));
        return new Created(id, name, token);
    }

    /** The role a presented token grants, if it is valid. */
    @Transactional
    public Optional<String[]> authenticate(String token) {
        List<String[]> found = jdbc.query("update api_token set last_used_at = now() where token_hash = ? and not revoked "
                + "returning name, role", (rs, i) -> new String[] {rs.getString(1), rs.getString(2)}, hash(token));
        return found.stream().findFirst();
    }

    @Transactional
    public void revoke(long id) {
        jdbc.update("update api_token set revoked = true where id = ?", id);
    }

    @Transactional(readOnly = true)
    public List<Object[]> list() {
        return jdbc.query("select id, name, role, created_by, created_at, last_used_at, revoked from api_token order by name",
                (rs, i) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant(),
                        rs.getBoolean(7)});
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
