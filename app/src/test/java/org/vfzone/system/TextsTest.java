package org.vfzone.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void aCutTextEndsWithAnEllipsisWithinItsLimitAndNeverHalvesACharacter() {
        assertThat(Texts.abbreviate("short", 500)).isEqualTo("short");
        assertThat(Texts.abbreviate("x".repeat(600), 500)).hasSize(500).endsWith("x…");
        String emoji = "ab\uD83D\uDE00cd"; // a, b, one emoji in two chars, c, d
        assertThat(Texts.abbreviate(emoji, 4)).isEqualTo("ab…");
        assertThat(Texts.abbreviate(emoji, 5)).isEqualTo("ab\uD83D\uDE00…");
        assertThat(Texts.abbreviate(null, 5)).isNull();
    }

    @Test
    void blankIsNoValue() {
        assertThat(Texts.blankToNull("  ")).isNull();
        assertThat(Texts.blankToNull(null)).isNull();
        assertThat(Texts.blankToNull(" prod-cl01 ")).isEqualTo("prod-cl01");
        assertThat(Texts.instant(null)).isNull();
    }
}
