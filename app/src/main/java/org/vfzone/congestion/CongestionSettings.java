package org.vfzone.congestion;

import java.sql.Timestamp;
import java.time.Clock;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.system.RuleViolation;

/**
 * The thresholds congestion is judged by: set by an ADMIN (kept in {@code congestion_setting}, audited), otherwise
 * the configured defaults ({@link CongestionProperties}).
 */
@Service
public class CongestionSettings {

    /**
     * @param txWaitPercent     TxWait share of an interval from which a port counts as slow-draining
     * @param causeSharePercent share of a slow-draining port's traffic from which a VM is its likely cause
     * @param setBy             who set them, or null for the defaults
     */
    public record Thresholds(double txWaitPercent, double causeSharePercent, String setBy) {
    }

    /** The form: what an ADMIN types; null keeps the field empty for the error beside it. */
    public record Form(Double txWaitPercent, Double causeSharePercent) {
    }

    private final JdbcTemplate jdbc;
    private final CongestionProperties properties;
    private final AuditLog audit;
    private final Clock clock;

    CongestionSettings(JdbcTemplate jdbc, CongestionProperties properties, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    public Thresholds current() {
        return jdbc.query("select tx_wait_percent, cause_share_percent, updated_by from congestion_setting where id = 1",
                (rs, n) -> new Thresholds(rs.getDouble(1), rs.getDouble(2), rs.getString(3))).stream().findFirst()
                .orElse(new Thresholds(properties.txWaitPercent(), properties.causeShare(), null));
    }

    public Thresholds defaults() {
        return new Thresholds(properties.txWaitPercent(), properties.causeShare(), null);
    }

    /** Sets both thresholds, or refuses naming the field and why; audited with the values before and after. */
    @Transactional
    public Thresholds update(Form form, String user) {
        if (form.txWaitPercent() == null || form.txWaitPercent() < 0.1 || form.txWaitPercent() > 100) {
            throw RuleViolation.invalid("txWaitPercent", "must be a percentage from 0.1 to 100");
        }
        if (form.causeSharePercent() == null || form.causeSharePercent() < 1 || form.causeSharePercent() > 100) {
            throw RuleViolation.invalid("causeSharePercent", "must be a percentage from 1 to 100");
        }
        Thresholds before = current();
        jdbc.update("""
                insert into congestion_setting (id, tx_wait_percent, cause_share_percent, updated_by, updated_at)
                values (1, ?, ?, ?, ?)
                on conflict (id) do update set tx_wait_percent = excluded.tx_wait_percent,
                       cause_share_percent = excluded.cause_share_percent, updated_by = excluded.updated_by,
                       updated_at = excluded.updated_at
                """, form.txWaitPercent(), form.causeSharePercent(), user, Timestamp.from(clock.instant()));
        audit.record(user, "UPDATE", "congestion_setting", 1L, "Congestion thresholds set: TxWait "
                + form.txWaitPercent() + " %, likely cause from " + form.causeSharePercent() + " % of a port's traffic",
                "before: TxWait " + before.txWaitPercent() + " %, likely cause from " + before.causeSharePercent()
                        + " %");
        return current();
    }
}
