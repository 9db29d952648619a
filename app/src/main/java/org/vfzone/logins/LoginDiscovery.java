package org.vfzone.logins;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.connection.FabricConnector;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.Login;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.security.People;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFormatException;

/**
 * Reads each fabric's name server and keeps the current logins, with a history of logins and logouts, so an admin
 * sees whether a VM's WWPNs are logged in (the first check when a VM cannot see its storage) and since when.
 * Scheduled under a database lock, and on demand.
 */
@Component
public class LoginDiscovery {

    private static final Logger log = LoggerFactory.getLogger(LoginDiscovery.class);

    public record Result(boolean ok, int logins, int appeared, int disappeared, String message) {
    }

    private final FabricService fabrics;
    private final FabricConnector connector;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;

    LoginDiscovery(FabricService fabrics, FabricConnector connector, JdbcTemplate jdbc, TransactionTemplate transaction,
                   Clock clock) {
        this.fabrics = fabrics;
        this.connector = connector;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${vfzone.logins.interval:PT5M}", initialDelayString = "${vfzone.logins.initial-delay:PT1M}")
    @SchedulerLock(name = "fabric-login-discovery", lockAtMostFor = "PT15M")
    public void discoverAll() {
        People.runAsSystem(() -> discoverEach());
    }

    private void discoverEach() {
        for (Fabric fabric : fabrics.list()) {
            try {
                discover(fabric.getId());
            } catch (RuntimeException e) {
                log.warn("Login discovery on fabric {} failed: {}", fabric.getName(), e.getMessage());
            }
        }
    }

    public Result discover(long fabricId) {
        Fabric fabric = fabrics.get(fabricId);
        Instant now = clock.instant();
        List<Login> logins;
        try {
            logins = connector.driver(fabric).readLogins();
        } catch (FabricException | RuleViolation e) {
            String message = "cannot read the name server: " + e.getMessage();
            jdbc.update("""
                    insert into fabric_discovery (fabric_id, checked_at, status, message, logins) values (?, ?, 'UNREADABLE', ?, 0)
                    on conflict (fabric_id) do update set checked_at = excluded.checked_at, status = excluded.status,
                                                          message = excluded.message
                    """, fabricId, Timestamp.from(now), truncate(message));
            return new Result(false, 0, 0, 0, message);
        }
        Map<String, Login> current = new HashMap<>();
        for (Login login : logins) {
            try {
                current.put(Wwn.parse(login.wwpn()).toString(), login);
            } catch (WwnFormatException e) {
                log.debug("Ignoring a name server entry with port name {}", login.wwpn());
            }
        }
        return transaction.execute(status -> {
            Map<String, String> before = new HashMap<>();
            jdbc.query("select wwpn, fcid from fabric_login where fabric_id = ? for update",
                    rs -> {
                        before.put(rs.getString(1), rs.getString(2));
                    }, fabricId);
            Timestamp at = Timestamp.from(now);
            int appeared = 0;
            List<Object[]> upserts = new ArrayList<>();
            for (Map.Entry<String, Login> entry : current.entrySet()) {
                Login login = entry.getValue();
                if (!before.containsKey(entry.getKey())) {
                    appeared++;
                    jdbc.update("insert into fabric_login_event (fabric_id, wwpn, event, fcid, at) values (?, ?, 'LOGIN', ?, ?)",
                            fabricId, entry.getKey(), login.fcid(), at);
                }
                upserts.add(new Object[] {fabricId, entry.getKey(), login.nodeName(), login.fcid(), login.switchPort(),
                        truncate(login.portSymbolicName()), login.fc4(), at, at});
            }
            jdbc.batchUpdate("""
                    insert into fabric_login (fabric_id, wwpn, node_name, fcid, switch_port, symbolic_name, fc4,
                                              first_seen, last_seen)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (fabric_id, wwpn) do update set node_name = excluded.node_name, fcid = excluded.fcid,
                           switch_port = excluded.switch_port, symbolic_name = excluded.symbolic_name,
                           fc4 = excluded.fc4, last_seen = excluded.last_seen
                    """, upserts);
            int disappeared = 0;
            for (Map.Entry<String, String> gone : before.entrySet()) {
                if (!current.containsKey(gone.getKey())) {
                    disappeared++;
                    jdbc.update("delete from fabric_login where fabric_id = ? and wwpn = ?", fabricId, gone.getKey());
                    jdbc.update("insert into fabric_login_event (fabric_id, wwpn, event, fcid, at) values (?, ?, 'LOGOUT', ?, ?)",
                            fabricId, gone.getKey(), gone.getValue(), at);
                }
            }
            jdbc.update("""
                    insert into fabric_discovery (fabric_id, checked_at, status, message, logins) values (?, ?, 'OK', null, ?)
                    on conflict (fabric_id) do update set checked_at = excluded.checked_at, status = excluded.status,
                                                          message = null, logins = excluded.logins
                    """, fabricId, at, current.size());
            return new Result(true, current.size(), appeared, disappeared, null);
        });
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 255 ? text : text.substring(0, 252) + "...";
    }
}
