package org.vfzone.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.inventory.Fabric;
import org.vfzone.system.RuleViolation;

/** A node drives the vendors whose driver factories it has: a production node has no simulated fabric driver. */
class FabricConnectorTest {

    private static List<FabricDriverFactory> switchProtocols() {
        SwitchProtocolDrivers drivers = new SwitchProtocolDrivers();
        return new ArrayList<>(List.of(drivers.brocadeFosRestDrivers(), drivers.ciscoMdsNxapiDrivers()));
    }

    @Test
    void withoutTheSimulatedDriverASimulatedFabricIsRefusedInWords() {
        FabricConnector connector = new FabricConnector(null, switchProtocols(), new ConnectionProperties(Duration.ofSeconds(5)));
        assertThat(connector.drives(FabricVendor.BROCADE_FOS_REST)).isTrue();
        assertThat(connector.drives(FabricVendor.CISCO_MDS_NXAPI)).isTrue();
        assertThat(connector.drives(FabricVendor.SIMULATED)).isFalse();
        assertThatThrownBy(() -> connector.driver(new Fabric("LAB-A", "A", FabricVendor.SIMULATED)))
                .isInstanceOf(RuleViolation.class)
                .hasMessageContaining("Fabric LAB-A is a simulated fabric, which this node does not drive")
                .hasMessageContaining("demo mode only");
    }

    @Test
    void twoFactoriesForOneVendorAreAMistakeFoundAtStartup() {
        List<FabricDriverFactory> factories = switchProtocols();
        factories.add(new SwitchProtocolDrivers().brocadeFosRestDrivers());
        assertThatThrownBy(() -> new FabricConnector(null, factories, new ConnectionProperties(Duration.ofSeconds(5))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("BROCADE_FOS_REST");
    }
}
