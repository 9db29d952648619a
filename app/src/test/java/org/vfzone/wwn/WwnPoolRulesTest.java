package org.vfzone.wwn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.system.RuleViolation;

class WwnPoolRulesTest extends IntegrationTest {

    @Autowired
    WwnPoolService pools;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void rejectsAnNaaTypeThePoolDoesNotAllowNamingTheField() {
        assertThatThrownBy(() -> pools.create(new WwnPoolForm(unique("p"), 2, "50:00:00:25:b5:00:00:00",
                "50:00:00:25:b5:00:00:ff", "", "")))
                .isInstanceOfSatisfying(RuleViolation.class, e -> {
                    assertThat(e.field()).isEqualTo("firstWwn");
                    assertThat(e.getMessage()).isEqualTo(
                            "50:00:00:25:b5:00:00:00 has NAA type 5 but the pool allows only NAA type 2");
                });
    }

    @Test
    void rejectsARangeOutsideThePoolsOui() {
        assertThatThrownBy(() -> pools.create(new WwnPoolForm(unique("p"), 2, "2f:00:00:25:b5:10:00:00",
                "2f:00:00:25:b6:10:00:ff", "00:25:b5", "")))
                .isInstanceOfSatisfying(RuleViolation.class, e -> {
                    assertThat(e.field()).isEqualTo("lastWwn");
                    assertThat(e.getMessage()).contains("carries OUI 00:25:b6, not the pool's 00:25:b5");
                });
    }

    @Test
    void rejectsOverlappingPoolsInCodeAndInTheDatabase() {
        String name = unique("p");
        pools.create(new WwnPoolForm(name, 2, "2e:00:00:0c:29:00:10:00", "2e:00:00:0c:29:00:1f:ff", "00:0c:29", ""));
        assertThatThrownBy(() -> pools.create(new WwnPoolForm(unique("p"), 2, "2e:00:00:0c:29:00:1f:00",
                "2e:00:00:0c:29:00:2f:ff", "", "")))
                .hasMessageContaining("overlaps pool " + name);
        assertThatThrownBy(() -> jdbc.update("insert into wwn_pool (name, naa_type, first_wwn, last_wwn) values "
                + "(?, 2, '2e:00:00:0c:29:00:18:00', '2e:00:00:0c:29:00:18:ff')", unique("raw")))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("wwn_pool_no_overlap");
    }

    @Test
    void rejectsMalformedBounds() {
        assertThatThrownBy(() -> pools.create(new WwnPoolForm(unique("p"), 2, "2f:00:00", "2f:00:00:25:b5:00:00:ff",
                "", "")))
                .isInstanceOfSatisfying(RuleViolation.class, e -> {
                    assertThat(e.field()).isEqualTo("firstWwn");
                    assertThat(e.getMessage()).contains("must have 8 bytes");
                });
        assertThatThrownBy(() -> pools.create(new WwnPoolForm(unique("p"), 2, "2f:00:00:25:b5:00:01:00",
                "2f:00:00:25:b5:00:00:ff", "", "")))
                .hasMessageContaining("must not be below the first WWN");
    }
}
