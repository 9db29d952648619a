package org.vfzone.fabric;

import java.util.List;

/** A named WWN (Brocade alias, Cisco device-alias). */
public record Alias(String name, List<String> wwns) {

    public Alias {
        wwns = List.copyOf(wwns);
    }
}
