package org.vfzone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.vfzone.IntegrationTest;

/** Failed sign-ins are slowed, then locked for a while, per user and address; each is audited. */
class LoginThrottleTest extends IntegrationTest {

    static final String PASSWORD = "a-long-enough-password";

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    JdbcTemplate jdbc;

    static MockHttpServletRequestBuilder signIn(String user,
                                                                                         String password,
                                                                                         String address) {
        return MockMvcRequestBuilders.post("/login")
                .param("username", user).param("password", password).with(from(address))
                .with(SecurityMockMvcRequestPostProcessors.csrf());
    }

    static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }

    @Test
    void theFormAndHttpBasicAreSlowedThenLockedFromOneAddressOnlyAndFailuresAreAudited() throws Exception {
        String name = users.create(unique("victim"), PASSWORD, Role.OPERATOR).getUsername();
        // enough failures for a wait of minutes: the test does not race the clock
        int failures = LoginThrottle.FREE_FAILURES + 8;
        for (int i = 0; i < failures; i++) {
            mvc.perform(signIn(name, "wrong-" + i, "203.0.113.7"))
                    .andExpect(redirectedUrlPattern(i < LoginThrottle.FREE_FAILURES + 1 ? "/login?error"
                            : "/login?*"));
        }
        // the right password now: refused without being checked, from the attacker's address
        mvc.perform(signIn(name, PASSWORD, "203.0.113.7"))
                .andExpect(redirectedUrlPattern("/login?locked=*"));
        mvc.perform(get("/api/fabrics").with(httpBasic(name, PASSWORD)).with(from("203.0.113.7")))
                .andExpect(status().isTooManyRequests()).andExpect(header().exists("Retry-After"));
        // the user from their own address is not locked out
        mvc.perform(signIn(name, PASSWORD, "198.51.100.20"))
                .andExpect(redirectedUrl("/"));
        mvc.perform(get("/api/fabrics").with(httpBasic(name, PASSWORD)).with(from("198.51.100.20")))
                .andExpect(status().isOk());
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'LOGIN_FAILED' and actor = ? "
                + "and summary like '%from 203.0.113.7%'", Long.class, name)).isBetween(LoginThrottle.FREE_FAILURES + 1L,
                (long) failures);
    }

    @Test
    void anAddressTryingManyUserNamesIsSlowedAsAWhole() {
        LoginThrottle throttle = new LoginThrottle(new MutableClock());
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES + LoginThrottle.ADDRESS_ALLOWANCE; i++) {
            throttle.failed("user" + i, "192.0.2.66");
        }
        assertThat(throttle.wait("someone-else", "192.0.2.66")).isPresent();
        assertThat(throttle.wait("someone-else", "192.0.2.67")).isEmpty();
    }

    @Test
    void theWaitDoublesIsCappedAndEnds() {
        MutableClock clock = new MutableClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            throttle.failed("admin", "192.0.2.1");
        }
        assertThat(throttle.wait("admin", "192.0.2.1")).isEmpty();
        throttle.failed("admin", "192.0.2.1");
        assertThat(throttle.wait("admin", "192.0.2.1")).contains(Duration.ofSeconds(1));
        throttle.failed("admin", "192.0.2.1");
        assertThat(throttle.wait("admin", "192.0.2.1")).contains(Duration.ofSeconds(2));
        for (int i = 0; i < 30; i++) {
            throttle.failed("admin", "192.0.2.1");
        }
        assertThat(throttle.wait("admin", "192.0.2.1")).contains(LoginThrottle.MAX_LOCK);
        assertThat(throttle.wait("admin", "192.0.2.99")).as("another address").isEmpty();
        assertThat(throttle.wait("alice", "192.0.2.1")).as("another user from that address").isEmpty();
        clock.now = clock.now.plus(LoginThrottle.MAX_LOCK);
        assertThat(throttle.wait("admin", "192.0.2.1")).isEmpty();
        throttle.failed("admin", "192.0.2.1");
        assertThat(throttle.wait("admin", "192.0.2.1")).as("forgotten after the lock").isEmpty();
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
