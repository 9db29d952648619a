package org.vfzone.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The same check for every driver: the zone database's use is read with the zoning, and a change that the switch
 * refuses for going beyond its maximum is rejected and leaves the database as it was.
 */
public final class ZoneDatabaseLimit {

    private ZoneDatabaseLimit() {
    }

    /**
     * @param maxBytes  the maximum the switch reports by default
     * @param setMax    sets the switch's maximum
     * @param addChange a change that adds to the database, for the state token given
     */
    public static void isReadAndEnforced(FabricDriver driver, long maxBytes, LongConsumer setMax,
                                         Function<String, ZoningChange> addChange) {
        ZoningDatabase before = driver.read();
        assertThat(before.capacity()).isNotNull();
        assertThat(before.capacity().maxBytes()).isEqualTo(maxBytes);
        long used = before.capacity().usedBytes();
        assertThat(used).isPositive();
        setMax.accept(used + 10);
        assertThatThrownBy(() -> driver.push(addChange.apply(before.stateToken())))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.REJECTED);
                    assertThat(e.getMessage()).contains("exceeds the maximum");
                });
        ZoningDatabase after = driver.read();
        assertThat(after.zones()).isEqualTo(before.zones());
        assertThat(after.capacity()).isEqualTo(new ZoningDatabase.Capacity(used, used + 10));
    }
}
