package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class CopyTextTest {

    private static String text(float value) {
        StringBuilder text = new StringBuilder();
        CopyText.appendFloat(text, value);
        return text.toString();
    }

    @Test
    void everyFloatReadsBackAsItself() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 2_000_000; i++) {
            float value = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(value)) {
                continue;
            }
            String written = text(value);
            assertThat(Float.parseFloat(written)).as(written).isEqualTo(value);
        }
        for (int i = 0; i < 2_000_000; i++) {
            // the range rates live in
            float value = (float) (random.nextDouble() * Math.pow(10, random.nextInt(-4, 10)));
            String written = text(value);
            assertThat(Float.parseFloat(written)).as(written).isEqualTo(value);
        }
    }

    @Test
    void commonValuesAreWrittenPlainly() {
        assertThat(text(0f)).isEqualTo("0");
        assertThat(text(10f)).isEqualTo("10");
        assertThat(text(-3f)).isEqualTo("-3");
        assertThat(text(0.5f)).isEqualTo("0.5");
        assertThat(text(3.2f)).isEqualTo("3.20000005");
        assertThat(text(0.001f)).isEqualTo("0.00100000005");
        assertThat(text(0.05f)).isEqualTo("0.0500000007");
        assertThat(text(123456.5f)).isEqualTo("123456.5");
        assertThat(text(5e8f)).isEqualTo("500000000");
        assertThat(text(2e9f)).isEqualTo("2.0E9");
        assertThat(text(Float.POSITIVE_INFINITY)).isEqualTo("Infinity");
    }

    @Test
    void textIsEscapedAndNullsMarked() {
        StringBuilder text = new StringBuilder();
        CopyText.field(text, "a\tb\\c\nd");
        CopyText.field(text, (String) null);
        CopyText.field(text, (Long) null);
        CopyText.field(text, -5L);
        assertThat(text.toString()).isEqualTo("\ta\\tb\\\\c\\nd\t\\N\t\\N\t-5");
    }

    @Test
    void timestampsAreIso() {
        CopyText.Timestamps timestamps = new CopyText.Timestamps();
        StringBuilder text = new StringBuilder();
        Instant ts = Instant.parse("2026-12-01T10:15:30.250Z");
        timestamps.append(text, ts);
        timestamps.append(text, ts);
        assertThat(text.toString()).isEqualTo("2026-12-01T10:15:30.250Z2026-12-01T10:15:30.250Z");
    }
}
