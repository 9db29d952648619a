package org.vfzone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.system.RuleViolation;

/** A change to a user ends their signed-in sessions at once; the last admin cannot lock everyone out. */
class UserSessionsTest extends IntegrationTest {

    static final String PASSWORD = "a-long-enough-password";

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;

    MockHttpSession signIn(String username) throws Exception {
        MockHttpSession session = (MockHttpSession) mvc.perform(formLogin("/login").user(username).password(PASSWORD))
                .andExpect(redirectedUrl("/")).andReturn().getRequest().getSession(false);
        mvc.perform(get("/vms").session(session)).andExpect(status().isOk());
        return session;
    }

    @Test
    void disablingChangingTheRoleOrResettingThePasswordEndsOpenSessions() throws Exception {
        AppUser disabled = users.create(unique("dis"), PASSWORD, Role.OPERATOR);
        MockHttpSession session = signIn(disabled.getUsername());
        users.update(disabled.getId(), Role.OPERATOR, false);
        mvc.perform(get("/vms").session(session)).andExpect(redirectedUrl("/login?expired"));

        AppUser demoted = users.create(unique("dem"), PASSWORD, Role.OPERATOR);
        session = signIn(demoted.getUsername());
        users.update(demoted.getId(), Role.VIEWER, true);
        mvc.perform(get("/vms").session(session)).andExpect(redirectedUrl("/login?expired"));
        signIn(demoted.getUsername());

        AppUser reset = users.create(unique("rst"), PASSWORD, Role.VIEWER);
        session = signIn(reset.getUsername());
        MockHttpSession other = signIn(reset.getUsername());
        users.resetPassword(reset.getId(), "another-long-password");
        mvc.perform(get("/vms").session(session)).andExpect(redirectedUrl("/login?expired"));
        mvc.perform(get("/vms").session(other)).andExpect(redirectedUrl("/login?expired"));
        assertThat(jdbc.queryForList("select action from audit_event where object_type = 'user' and object_id = ? "
                + "order by id", String.class, reset.getId())).containsExactly("CREATE_USER", "RESET_PASSWORD");
    }

    @Test
    void theLastEnabledAdminCannotBeDemotedOrDisabled() {
        AppUser last = users.create(unique("adm"), PASSWORD, Role.ADMIN);
        // in a transaction rolled back at the end: the other admins of the shared test database stay as they are
        transaction.executeWithoutResult(status -> {
            jdbc.update("update app_user set enabled = false where role = 'ADMIN' and id <> ?", last.getId());
            assertThatThrownBy(() -> users.update(last.getId(), Role.APPROVER, true))
                    .isInstanceOf(RuleViolation.class).hasMessageContaining("last enabled ADMIN");
            assertThatThrownBy(() -> users.update(last.getId(), Role.ADMIN, false))
                    .isInstanceOf(RuleViolation.class).hasMessageContaining("last enabled ADMIN");
            status.setRollbackOnly();
        });
        // with another admin there, the same change is allowed
        users.update(last.getId(), Role.APPROVER, true);
    }
}
