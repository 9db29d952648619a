package org.vfzone.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;

/** Committed audit records reach a syslog collector (a UDP socket in this JVM) as RFC 5424; rolled-back ones do not. */
class SyslogForwardingTest extends IntegrationTest {

    static final DatagramSocket COLLECTOR;

    static {
        try {
            COLLECTOR = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            // a bound on a broken forwarder, not a wait: a forwarded record arrives within milliseconds
            COLLECTOR.setSoTimeout(30_000);
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void syslog(DynamicPropertyRegistry registry) {
        registry.add("vfzone.audit.syslog.host", () -> "127.0.0.1");
        registry.add("vfzone.audit.syslog.port", COLLECTOR::getLocalPort);
    }

    @AfterAll
    static void close() {
        COLLECTOR.close();
    }

    @Autowired
    AuditLog audit;

    /** The first record received that contains {@code wanted}; none before it may contain {@code never}. */
    static String receiveUntil(String wanted, String never) throws IOException {
        while (true) {
            byte[] buffer = new byte[8192];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            COLLECTOR.receive(packet);
            String message = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            if (never != null) {
                assertThat(message).doesNotContain(never);
            }
            if (message.contains(wanted)) {
                return message;
            }
        }
    }
    @Autowired
    TransactionTemplate transaction;

    @Test
    void aCommittedRecordIsForwardedAsRfc5424AndARolledBackOneIsNot() throws Exception {
        transaction.executeWithoutResult(status -> {
            audit.record("mallory", "DELETE", "vm", 7L, "never happened", null);
            status.setRollbackOnly();
        });
        transaction.executeWithoutResult(status -> audit.record("alice \"the\" admin", "APPROVE", "change_set", 42L,
                "Approved change set 42 for fabric FAB-A", null));

        // records of the application's own start may come first; the rolled-back one must never come
        String message = receiveUntil(" APPROVE ", "never happened");
        assertThat(message).matches("^<109>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z \\S+ vfzone - APPROVE "
                + "\\[vfzone@32473 actor=\"alice \\\\\"the\\\\\" admin\" object=\"change_set\" objectId=\"42\"] "
                + "\uFEFFApproved change set 42 for fabric FAB-A$");
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aSignInNameWithLineBreaksOrNulIsAuditedVisiblyAndForwardedAsOneRecord() throws Exception {
        String forged = "eve\n<109>1 2026-01-01T00:00:00Z host vfzone - APPROVE [vfzone@32473 actor=\"admin\"] forged\u0000";
        mvc.perform(MockMvcRequestBuilders.get("/api/me")
                        .with(SecurityMockMvcRequestPostProcessors
                                .httpBasic(forged, "wrong-password")))
                .andExpect(MockMvcResultMatchers.status().isUnauthorized());
        // audited, with the control characters made visible rather than lost
        List<String> actors = jdbc.queryForList("select actor from audit_event where action = 'LOGIN_FAILED' "
                + "and actor like 'eve\\\\x0a%'", String.class);
        assertThat(actors).hasSize(1);
        assertThat(actors.get(0)).doesNotContain("\n").doesNotContain("\u0000");

        String message = receiveUntil(" LOGIN_FAILED ", null);
        assertThat(message).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u0000");
        assertThat(message.lines().count()).isEqualTo(1);
    }

    @Test
    void everyControlCharacterOfAMessageIsWrittenAsItsOctalCode() {
        assertThat(SyslogForwarder.oneLine("a\nb\rc\u0000d\u2028e")).isEqualTo("a#012b#015c#000d#20050e");
    }
}
