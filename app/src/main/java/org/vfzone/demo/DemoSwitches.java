package org.vfzone.demo;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.vsphere.emulator.VcenterEmulator;

/**
 * Demo mode: an emulated Brocade switch (fabric A, vf-id 10) and an emulated Cisco MDS (fabric B, VSAN 20) on
 * loopback, each already holding a zone made by hand, so the demo drives the real adapters over HTTP and shows that
 * foreign zones are left alone. Their state lives in memory and starts afresh with the application.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoSwitches {

    static final String SWITCH_USER = "admin";
    static final String SWITCH_PASSWORD = "demo-switch-password";
    static final int FABRIC_A_VF_ID = 10;
    static final int FABRIC_B_VSAN = 20;
    static final String VCENTER_USER = "svc-vfzone@vsphere.local";
    static final String VCENTER_PASSWORD = "demo-vcenter-password";

    @Bean(destroyMethod = "close")
    BrocadeFosEmulator demoBrocadeSwitch() {
        BrocadeFosEmulator emulator = new BrocadeFosEmulator(SWITCH_USER, SWITCH_PASSWORD, FABRIC_A_VF_ID);
        emulator.seedAlias(FABRIC_A_VF_ID, "backup_media_srv", "10:00:00:10:9b:77:10:01");
        emulator.seedZone(FABRIC_A_VF_ID, "prod_cfg_a", "manual_backup_tape",
                List.of("backup_media_srv", "50:01:10:a0:00:8d:1e:01"));
        return emulator;
    }

    @Bean(destroyMethod = "close")
    CiscoMdsEmulator demoMdsSwitch() {
        CiscoMdsEmulator emulator = new CiscoMdsEmulator(SWITCH_USER, SWITCH_PASSWORD, FABRIC_B_VSAN);
        emulator.seedZone(FABRIC_B_VSAN, "zs_prod_b", "manual_backup_tape",
                List.of("10:00:00:10:9b:77:10:02", "50:01:10:a0:00:8d:1e:02"));
        // SAN Analytics on its ports: the VMs' IO on fabric B is read from the switch (DemoTraffic plays it)
        emulator.analytics(true);
        return emulator;
    }

    /** The demo's vCenter: its ESXi VMs' disk IO comes from here, as from a real one. */
    @Bean(destroyMethod = "close")
    VcenterEmulator demoVcenterServer() {
        return new VcenterEmulator(VCENTER_USER, VCENTER_PASSWORD);
    }
}
