package org.vfzone.wwn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WwnTest {

    @ParameterizedTest
    @ValueSource(strings = {"10:00:00:90:fa:12:34:56", "10000090FA123456", "10-00-00-90-fa-12-34-56",
            "  10:00:00:90:FA:12:34:56 ", "10000090fa123456"})
    void acceptsTheNotationsAdminsPaste(String input) {
        assertThat(Wwn.parse(input).toString()).isEqualTo("10:00:00:90:fa:12:34:56");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "10:00:00:90:fa:12:34|must have 8 bytes separated by ':', got 7",
            "10000090fa1234|must be 16 hex digits, got 14",
            "10000090fa12345678|must be 16 hex digits, got 18",
            "10:00:00:90:fa:12:34:5g|'g' is not a hex digit",
            "1000:0090:fa12:3456|must have 8 bytes separated by ':', got 4",
            "10:00:00:90:fa:12:34:567|byte 8 ('567') must be 2 hex digits",
            "00:00:00:00:00:00:00:00|must not be all zeros",
            "0000000000000000|must not be all zeros"})
    void rejectsWithAReason(String input, String reason) {
        assertThatThrownBy(() -> Wwn.parse(input)).isInstanceOf(WwnFormatException.class).hasMessage(reason);
    }

    @Test
    void rejectsEmptyInput() {
        assertThatThrownBy(() -> Wwn.parse(" ")).hasMessage("is empty");
        assertThatThrownBy(() -> Wwn.parse(null)).hasMessage("is empty");
    }

    @Test
    void readsNaaTypeAndOui() {
        Wwn naa1 = Wwn.parse("10:00:00:90:fa:12:34:56");
        assertThat(naa1.naaType()).isEqualTo(1);
        assertThat(naa1.oui()).contains("00:90:fa");
        Wwn naa2 = Wwn.parse("28:2d:00:0c:29:00:00:0f");
        assertThat(naa2.naaType()).isEqualTo(2);
        assertThat(naa2.oui()).contains("00:0c:29");
        Wwn naa5 = Wwn.parse("52:4a:93:7a:1b:2c:00:00");
        assertThat(naa5.naaType()).isEqualTo(5);
        assertThat(naa5.oui()).contains("24:a9:37");
        assertThat(Wwn.parse("30:00:00:00:00:00:00:01").oui()).isEmpty();
    }

    @Test
    void ordersAsUnsignedAndCountsOffsets() {
        Wwn low = Wwn.parse("50:00:00:00:00:00:00:ff");
        Wwn high = Wwn.parse("c0:50:76:00:00:00:00:00");
        assertThat(low.compareTo(high)).isNegative();
        assertThat(low.plus(1).toString()).isEqualTo("50:00:00:00:00:00:01:00");
        assertThat(low.plus(1).minus(low)).isEqualTo(1);
    }
}
