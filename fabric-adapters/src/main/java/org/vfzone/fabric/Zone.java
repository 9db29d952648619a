package org.vfzone.fabric;

import java.util.List;

/**
 * A zone as the fabric stores it.
 *
 * @param name       zone name
 * @param members    WWNs (canonical lower-case colon form) or alias names; the initiators of a peer/smart zone
 * @param principals the targets of a peer zone (Brocade principal members, Cisco smart-zoning {@code target});
 *                   empty for an ordinary zone
 * @param targetCreated a peer zone the storage target created itself (Fabric OS {@code zone-type} 2,
 *                   {@code zone-type-string} "target-created-peer-zone"): vfzone never adopts, changes or removes it
 */
public record Zone(String name, List<String> members, List<String> principals, boolean targetCreated) {

    public Zone {
        members = List.copyOf(members);
        principals = List.copyOf(principals);
    }

    /** A zone a person or vfzone made (not one a storage target created for itself). */
    public Zone(String name, List<String> members, List<String> principals) {
        this(name, members, principals, false);
    }

    public static Zone of(String name, List<String> members) {
        return new Zone(name, members, List.of());
    }

    public boolean peer() {
        return !principals.isEmpty();
    }
}
