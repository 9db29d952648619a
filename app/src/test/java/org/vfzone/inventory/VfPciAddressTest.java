package org.vfzone.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VfPciAddressTest {

    @Test
    void followsTheRoutingIdRuleAcrossDevicesAndBuses() {
        // PF 3b:00.0 has routing id 0x3b00; VF n is at 0x3b00 + 0x80 + n
        assertThat(HostService.vfPciAddress("0000:3b:00.0", 0)).isEqualTo("0000:3b:10.0");
        assertThat(HostService.vfPciAddress("0000:3b:00.0", 9)).isEqualTo("0000:3b:11.1");
        assertThat(HostService.vfPciAddress("0000:3b:00.1", 0)).isEqualTo("0000:3b:10.1");
        assertThat(HostService.vfPciAddress("0000:3b:00.0", 200)).isEqualTo("0000:3c:09.0");
    }
}
