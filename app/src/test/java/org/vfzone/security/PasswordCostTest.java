package org.vfzone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The configured BCrypt cost applies to new hashes only; passwords stored before still match. */
class PasswordCostTest {

    private static PasswordEncoder encoderAt(int cost) {
        return new SecurityConfiguration().passwordEncoder(
                new SecurityProperties("", "", new SecurityProperties.Tokens(true, cost)));
    }

    @Test
    void aNewPasswordIsHashedAtTheConfiguredCostAndOlderHashesStillMatch() {
        PasswordEncoder cheap = encoderAt(5);
        String hash = cheap.encode("s3cret–‘quoted’");
        assertThat(hash).startsWith("{bcrypt}$2a$05$");
        assertThat(cheap.matches("s3cret–‘quoted’", hash)).isTrue();
        assertThat(cheap.matches("s3cret", hash)).isFalse();

        // a hash made at the default cost, and one in another format Spring Security reads
        String older = "{bcrypt}" + new BCryptPasswordEncoder(10).encode("earlier");
        assertThat(cheap.matches("earlier", older)).isTrue();
        assertThat(encoderAt(12).matches("earlier", older)).isTrue();
        assertThat(cheap.matches("plain", "{noop}plain")).isTrue();
        assertThat(cheap.matches("other", "{noop}plain")).isFalse();
    }

    @Test
    void aCostOutsideBcryptsRangeIsRefusedAtStart() {
        assertThatThrownBy(() -> new SecurityProperties.Tokens(true, 3))
                .hasMessageContaining("vfzone.security.password-cost must be 4 to 31, not 3");
        assertThatThrownBy(() -> new SecurityProperties.Tokens(true, 32))
                .hasMessageContaining("password-cost");
    }
}
