package org.vfzone.fabric;

import java.util.List;

/**
 * A zone as the fabric stores it.
 *
 * @param name       zone name
 * @param members    WWNs (canonical lower-case colon form) or alias names; the initiators of a peer/smart zone
 * @param principals the targets of a peer zone (Brocade principal members, Cisco smart-zoning {@code target});
 *                   empty for an ordinary zone
 */
public record Zone(String name, List<String> members, List<String> principals) {

    public Zone {
        members = List.copyOf(members);
        principals = List.copyOf(principals);
    }

    public static Zone of(String name, List<String> members) {
        return new Zone(name, members, List.of());
    }

    public boolean peer() {
        return !principals.isEmpty();
    }
}
