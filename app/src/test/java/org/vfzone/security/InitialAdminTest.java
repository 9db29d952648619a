package org.vfzone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class InitialAdminTest {

    @Test
    void firstStartCreatesAdminWithARandomPasswordLoggedOnce(CapturedOutput output) {
        UserService users = mock(UserService.class);
        when(users.noUsers()).thenReturn(true);
        new InitialAdmin(users, "").run(null);

        ArgumentCaptor<String> password = ArgumentCaptor.forClass(String.class);
        verify(users).create(eq("admin"), password.capture(), eq(Role.ADMIN));
        assertThat(password.getValue()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(output.getOut()).containsOnlyOnce(password.getValue());
    }

    @Test
    void theConfiguredPasswordIsUsedAndNeverLogged(CapturedOutput output) {
        UserService users = mock(UserService.class);
        when(users.noUsers()).thenReturn(true);
        new InitialAdmin(users, "configured-secret-42").run(null);

        verify(users).create("admin", "configured-secret-42", Role.ADMIN);
        assertThat(output.getOut()).doesNotContain("configured-secret-42");
    }

    @Test
    void laterStartsCreateNobody() {
        UserService users = mock(UserService.class);
        when(users.noUsers()).thenReturn(false);
        new InitialAdmin(users, "").run(null);
        verify(users, never()).create(anyString(), anyString(), any());
    }

    @Test
    void randomPasswordsDiffer() {
        assertThat(UserService.randomPassword()).isNotEqualTo(UserService.randomPassword());
    }
}
