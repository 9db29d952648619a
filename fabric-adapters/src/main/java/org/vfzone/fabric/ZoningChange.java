package org.vfzone.fabric;

import java.util.List;

/**
 * One reviewed change to a fabric's zoning, applied in one vendor transaction.
 *
 * @param config             cfg / zoneset that must contain the added zones and be (re)activated
 * @param expectedStateToken {@link ZoningDatabase#stateToken()} seen when the change was planned
 * @param addAliases         aliases to create
 * @param removeAliases      alias names to delete
 * @param addZones           zones to create and add to {@code config}
 * @param replaceZones       existing zones whose members change (they stay in {@code config})
 * @param removeZones        zone names to remove from {@code config} and delete
 */
public record ZoningChange(String config, String expectedStateToken, List<Alias> addAliases,
                           List<String> removeAliases, List<Zone> addZones, List<Zone> replaceZones,
                           List<String> removeZones) {

    public ZoningChange {
        addAliases = List.copyOf(addAliases);
        removeAliases = List.copyOf(removeAliases);
        addZones = List.copyOf(addZones);
        replaceZones = List.copyOf(replaceZones);
        removeZones = List.copyOf(removeZones);
    }

    public boolean isEmpty() {
        return addAliases.isEmpty() && removeAliases.isEmpty() && addZones.isEmpty() && replaceZones.isEmpty()
                && removeZones.isEmpty();
    }
}
