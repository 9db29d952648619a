package org.vfzone.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.system.RuleViolation;

/** The simulated switch keeps its zoning in one process's memory: outside demo mode it is neither offered nor taken. */
class SimulatedFabricTest {

    static FabricService service(boolean simulatedAllowed) {
        return new FabricService(null, null, null, null, null, null, new InventoryProperties(simulatedAllowed));
    }

    @Test
    void outsideDemoModeTheSimulatedSwitchIsNotOfferedAndAFabricOfItIsRefused() {
        FabricService production = service(false);
        assertThat(production.selectableVendors()).containsExactly(FabricVendor.BROCADE_FOS_REST,
                FabricVendor.CISCO_MDS_NXAPI);
        RuleViolation refused = assertThrows(RuleViolation.class, () -> production.create(new FabricForm("FAB-X", "A",
                "simulated", null, "", "", "")));
        assertThat(refused.getMessage()).contains("demo mode");
        assertThat(service(true).selectableVendors()).contains(FabricVendor.SIMULATED);
    }
}
