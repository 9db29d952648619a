package org.vfzone.logins;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFormatException;
import org.vfzone.wwn.WwnRegistry;

/**
 * Devices logged in to a fabric that vfzone does not know and an admin chose to ignore, with the reason. Ignoring
 * only files the login apart from the unknown ones; nothing is sent to a switch. A WWPN vfzone knows cannot be
 * ignored: it is no unknown device.
 */
@Service
public class IgnoredLogins {

    static final int MAX_REASON = 255;

    public record IgnoredLogin(String wwpn, String reason, String ignoredBy, Instant ignoredAt) {
    }

    private final JdbcTemplate jdbc;
    private final WwnRegistry registry;
    private final AuditLog audit;
    private final Clock clock;

    IgnoredLogins(JdbcTemplate jdbc, WwnRegistry registry, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<IgnoredLogin> list() {
        return jdbc.query("select wwpn, reason, ignored_by, ignored_at from ignored_login order by wwpn",
                (rs, n) -> new IgnoredLogin(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()));
    }

    /** Ignores the device, or changes the reason it is ignored for. */
    @Transactional
    public IgnoredLogin ignore(String wwpnText, String reason, String user) {
        Wwn wwpn = parse(wwpnText);
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw RuleViolation.invalid("reason", "say why this device may be ignored (e.g. \"backup server, "
                    + "not virtualized\")");
        }
        if (why.length() > MAX_REASON) {
            throw RuleViolation.invalid("reason", "at most " + MAX_REASON + " characters");
        }
        registry.findUsage(wwpn).ifPresent(usage -> {
            throw RuleViolation.conflict("wwpn", wwpn + " is known to vfzone as " + usage.description()
                    + "; only unknown devices can be ignored");
        });
        IgnoredLogin ignored = new IgnoredLogin(wwpn.toString(), why, user, clock.instant());
        jdbc.update("""
                insert into ignored_login (wwpn, reason, ignored_by, ignored_at) values (?, ?, ?, ?)
                on conflict (wwpn) do update set reason = excluded.reason, ignored_by = excluded.ignored_by,
                                                 ignored_at = excluded.ignored_at
                """, ignored.wwpn(), ignored.reason(), ignored.ignoredBy(), Timestamp.from(ignored.ignoredAt()));
        audit.record(user, "IGNORE_LOGIN", "fabric_login", null, "Ignored device " + wwpn + ": " + why, null);
        return ignored;
    }

    /** Lists the device among the unknown ones again; false when it was not ignored. */
    @Transactional
    public boolean unignore(String wwpnText, String user) {
        Wwn wwpn = parse(wwpnText);
        boolean removed = jdbc.update("delete from ignored_login where wwpn = ?", wwpn.toString()) > 0;
        if (removed) {
            audit.record(user, "UNIGNORE_LOGIN", "fabric_login", null, "Device " + wwpn + " is listed as unknown again",
                    null);
        }
        return removed;
    }

    private static Wwn parse(String text) {
        try {
            return Wwn.parse(text);
        } catch (WwnFormatException e) {
            throw RuleViolation.invalid("wwpn", "not a valid WWPN: " + e.getMessage());
        }
    }
}
