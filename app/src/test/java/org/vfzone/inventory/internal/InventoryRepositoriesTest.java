package org.vfzone.inventory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vfzone.IntegrationTest;
import org.vfzone.TestDatabase;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.Hypervisor;
import org.vfzone.inventory.StorageArray;
import org.vfzone.inventory.TargetPort;
import org.vfzone.wwn.Wwn;

/**
 * The inventory's repositories and the rules PostgreSQL enforces under them, in a JPA slice: repositories, Flyway
 * and the real database, without the web layer, security or the services.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class InventoryRepositoriesTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.url("vfzone_it"));
        registry.add("spring.datasource.username", TestDatabase::username);
        registry.add("spring.datasource.password", TestDatabase::password);
    }

    @Autowired
    HostRepository hosts;
    @Autowired
    FabricRepository fabrics;
    @Autowired
    StorageArrayRepository arrays;
    @Autowired
    TargetPortRepository ports;

    @Test
    void namesAreFoundAndKeptUniqueRegardlessOfCase() {
        String name = IntegrationTest.unique("Esx-Mixed");
        hosts.saveAndFlush(new Host(name, "cl-1", Hypervisor.ESXI));

        assertThat(hosts.findByNameIgnoreCase(name.toUpperCase())).get().extracting(Host::getName).isEqualTo(name);
        assertThatThrownBy(() -> hosts.saveAndFlush(new Host(name.toLowerCase(), null, Hypervisor.KVM)))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void aWwnIsUsedOnceAcrossTheWholeInventory() {
        Fabric fabric = fabrics.saveAndFlush(new Fabric(IntegrationTest.unique("fab"), "A", FabricVendor.SIMULATED));
        StorageArray array = arrays.saveAndFlush(new StorageArray(IntegrationTest.unique("array"), "Pure Storage"));
        Wwn wwpn = Wwn.parse(IntegrationTest.uniqueWwn());
        ports.saveAndFlush(port(array, "CT0-FC0", wwpn, fabric));

        assertThat(ports.countByFabricId(fabric.getId())).isEqualTo(1);
        assertThatThrownBy(() -> ports.saveAndFlush(port(array, "CT0-FC1", wwpn, fabric)))
                .as("the WWN registry's primary key refuses the second use")
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    private static TargetPort port(StorageArray array, String name, Wwn wwpn, Fabric fabric) {
        TargetPort port = new TargetPort(array);
        port.setName(name);
        port.setWwpn(wwpn);
        port.setFabric(fabric);
        return port;
    }
}
