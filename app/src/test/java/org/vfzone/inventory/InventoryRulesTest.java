package org.vfzone.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.inventory.internal.VirtualFunctionRepository;
import org.vfzone.inventory.internal.VmFabricIdentityRepository;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.WwnPool;

class InventoryRulesTest extends IntegrationTest {

    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    HostService hosts;
    @Autowired
    VmService vms;
    @Autowired
    StorageArrayService arrays;
    @Autowired
    VirtualFunctionRepository vfRepository;
    @Autowired
    VmFabricIdentityRepository identities;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aWwnIsUniqueAcrossTablesAndTheErrorSaysWhereItIsUsed() {
        Fabric fabric = fixtures.fabric("A");
        Host host = fixtures.host();
        Adapter adapter = fixtures.adapter(host, fabric, 8, 0);
        StorageArray array = arrays.create(new StorageArrayForm(unique("array"), "Pure Storage", "", ""));

        String samePortName = adapter.getWwpn().toString().toUpperCase().replace(':', '-');
        assertThatThrownBy(() -> arrays.addPort(array.getId(), new TargetPortForm("CT0.FC0", samePortName,
                fabric.getId())))
                .isInstanceOfSatisfying(RuleViolation.class, e -> {
                    assertThat(e.field()).isEqualTo("wwpn");
                    assertThat(e.getMessage()).isEqualTo(adapter.getWwpn() + " is already used as the WWPN of adapter "
                            + adapter.getPciAddress() + " on host " + host.getName());
                });
    }

    @Test
    void theDatabaseItselfRefusesADuplicateWwn() {
        Fabric fabric = fixtures.fabric("A");
        Adapter adapter = fixtures.adapter(fixtures.host(), fabric, 8, 0);
        Long arrayId = jdbc.queryForObject("insert into storage_array (name, vendor) values (?, 'x') returning id",
                Long.class, unique("raw"));
        assertThatThrownBy(() -> jdbc.update("insert into target_port (array_id, name, wwpn, fabric_id) "
                + "values (?, 'p0', ?, ?)", arrayId, adapter.getWwnn().toString(), fabric.getId()))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("wwn_registry_pkey");
        // and frees it again when the holder goes away
        jdbc.update("delete from adapter where id = ?", adapter.getId());
        jdbc.update("insert into target_port (array_id, name, wwpn, fabric_id) values (?, 'p0', ?, ?)", arrayId,
                adapter.getWwnn().toString(), fabric.getId());
    }

    @Test
    void theRegistryFollowsStatementsOfManyRows() {
        Fabric fabric = fixtures.fabric("A");
        Long arrayId = jdbc.queryForObject("insert into storage_array (name, vendor) values (?, 'x') returning id",
                Long.class, unique("raw"));
        String first = uniqueWwn();
        String second = uniqueWwn();
        String third = uniqueWwn();
        assertThatThrownBy(() -> jdbc.update("insert into target_port (array_id, name, wwpn, fabric_id) "
                + "values (?, 'p0', ?, ?), (?, 'p1', ?, ?)", arrayId, first, fabric.getId(), arrayId, first,
                fabric.getId()))
                .as("one statement giving a WWN two owners").isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("wwn_registry_pkey");
        jdbc.update("insert into target_port (array_id, name, wwpn, fabric_id) values (?, 'p0', ?, ?), (?, 'p1', ?, ?)",
                arrayId, first, fabric.getId(), arrayId, second, fabric.getId());
        // two ports trading their WWPNs in one statement, then one taking a new WWPN
        jdbc.update("update target_port set wwpn = case name when 'p0' then ? else ? end where array_id = ?", second,
                first, arrayId);
        jdbc.update("update target_port set wwpn = ? where array_id = ? and name = 'p1'", third, arrayId);
        assertThat(jdbc.queryForList("""
                select p.name || ' ' || r.wwn from wwn_registry r join target_port p on p.id = r.owner_id
                 where r.owner_table = 'target_port' and p.array_id = ? order by p.name""", String.class, arrayId))
                .containsExactly("p0 " + second, "p1 " + third);
        assertThat(jdbc.queryForObject("select count(*) from wwn_registry where wwn = ?", Long.class, first))
                .as("a WWN given up is free again").isZero();
        jdbc.update("delete from storage_array where id = ?", arrayId);
        assertThat(jdbc.queryForObject("select count(*) from wwn_registry where wwn in (?, ?)", Long.class, second,
                third)).as("deleted with the array's ports").isZero();
    }

    @Test
    void anAdapterNeverExceedsItsMaxVfsInCodeOrInTheDatabase() {
        Adapter adapter = fixtures.adapter(fixtures.host(), fixtures.fabric("A"), 4, 4);
        assertThatThrownBy(() -> hosts.setVfCount(adapter.getId(), 5))
                .hasMessageContaining("must be between 0 and the adapter's maximum of 4 VFs");
        assertThatThrownBy(() -> jdbc.update("insert into virtual_function (adapter_id, vf_index, pci_address) "
                + "values (?, 4, '0000:10:10.4')", adapter.getId()))
                .hasMessageContaining("beyond the adapter's maximum of 4 VFs");
        assertThatThrownBy(() -> jdbc.update("update virtual_function set vf_index = vf_index + 4 where adapter_id = ?",
                adapter.getId()))
                .as("every row of a statement is checked").hasMessageContaining("beyond the adapter's maximum of 4 VFs");
        assertThatThrownBy(() -> jdbc.update("update adapter set max_vfs = 2 where id = ?", adapter.getId()))
                .hasMessageContaining("at or above the new maximum of 2");
        assertThat(vfRepository.countByAdapterId(adapter.getId())).isEqualTo(4);
    }

    @Test
    void aVmOnlyGetsVfsOfAdaptersOnItsCurrentHost() {
        Fabric fabric = fixtures.fabric("A");
        Host vmHost = fixtures.host();
        Host otherHost = fixtures.host();
        fixtures.adapter(vmHost, fabric, 4, 2);
        Adapter foreign = fixtures.adapter(otherHost, fabric, 4, 2);
        Vm vm = fixtures.vm(vmHost);
        VirtualFunction foreignVf = hosts.vfsOf(foreign.getId()).get(0);

        assertThatThrownBy(() -> vms.assignVf(vm.getId(), foreignVf.getId()))
                .isInstanceOfSatisfying(RuleViolation.class, e -> {
                    assertThat(e.field()).isEqualTo("vfId");
                    assertThat(e.getMessage()).contains("belongs to host " + otherHost.getName());
                });
        assertThat(vfRepository.findById(foreignVf.getId()).orElseThrow().getVm()).isNull();
    }

    @Test
    void allocatingGivesAPairPerFabricAndOneVfEachAllOrNothing() {
        Fabric a = fixtures.fabric("A");
        Fabric b = fixtures.fabric("B");
        Host host = fixtures.host();
        fixtures.adapter(host, a, 8, 2);
        fixtures.adapter(host, b, 8, 2);
        WwnPool pool = fixtures.pool(100);
        Vm vm = fixtures.vm(host);

        assertThat(vms.paths(vm.getId()).singleFabricOnly()).isTrue();
        List<String> done = vms.allocateIdentityAndAssignVfs(vm.getId(), pool.getId(), "tester");

        assertThat(done).hasSize(5);
        VmPaths paths = vms.paths(vm.getId());
        assertThat(paths.usableFabricCount()).isEqualTo(2);
        assertThat(paths.singleFabricOnly()).isFalse();
        for (VmPaths.FabricPath path : paths.fabrics()) {
            assertThat(pool.contains(path.identity().getActiveWwpn())).isTrue();
            assertThat(path.identity().getStandbyWwpn()).isNotEqualTo(path.identity().getActiveWwpn());
            assertThat(path.vfs()).hasSize(1);
        }
        // a second click changes nothing
        assertThat(vms.allocateIdentityAndAssignVfs(vm.getId(), pool.getId(), "tester")).isEmpty();

        // a VM whose second fabric has no free VF gets nothing at all
        Vm second = fixtures.vm(host);
        Vm third = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(second.getId(), pool.getId(), "tester");
        long liveBefore = liveAllocations(pool);
        assertThatThrownBy(() -> vms.allocateIdentityAndAssignVfs(third.getId(), pool.getId(), "tester"))
                .hasMessageContaining("has no free VF on fabric");
        assertThat(liveAllocations(pool)).isEqualTo(liveBefore);
        assertThat(identities.findByVmIdOrderByFabricNameAsc(third.getId())).isEmpty();
        assertThat(vms.get(third.getId()).getWwnn()).isNull();
    }

    @Test
    void aVmWithAPathOnOneFabricOnlyIsFlagged() {
        Fabric a = fixtures.fabric("A");
        Host host = fixtures.host();
        fixtures.adapter(host, a, 8, 2);
        Vm vm = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(vm.getId(), fixtures.pool(10).getId(), "tester");
        VmPaths paths = vms.paths(vm.getId());
        assertThat(paths.usableFabricCount()).isEqualTo(1);
        assertThat(paths.singleFabricOnly()).isTrue();
    }

    @Test
    void deletingSomethingInUseIsRefusedAndNothingIsHalfDeleted() {
        Fabric a = fixtures.fabric("A");
        Host host = fixtures.host();
        Adapter adapter = fixtures.adapter(host, a, 8, 2);
        Vm vm = fixtures.vm(host);
        VirtualFunction vf = hosts.vfsOf(adapter.getId()).get(0);
        vms.assignVf(vm.getId(), vf.getId());

        assertThatThrownBy(() -> hosts.delete(host.getId()))
                .hasMessage("host " + host.getName() + " still runs 1 VM(s); move or delete them first");
        assertThatThrownBy(() -> hosts.deleteAdapter(adapter.getId()))
                .hasMessageContaining("has 1 VF(s) assigned to VMs");
        assertThat(hosts.adaptersOf(host.getId())).hasSize(1);
        assertThat(hosts.vfsOf(adapter.getId())).hasSize(2);

        // once the VM is gone, the host goes with its adapters and VFs, and the WWNs are free again
        vms.delete(vm.getId(), "tester");
        hosts.delete(host.getId());
        assertThat(jdbc.queryForObject("select count(*) from wwn_registry where wwn = ?", Long.class,
                adapter.getWwpn().toString())).isZero();
    }

    @Test
    void deletingAVmSendsItsWwnsToQuarantine() {
        Fabric a = fixtures.fabric("A");
        Host host = fixtures.host();
        fixtures.adapter(host, a, 8, 2);
        WwnPool pool = fixtures.pool(10);
        Vm vm = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(vm.getId(), pool.getId(), "tester");
        vms.delete(vm.getId(), "tester");
        assertThat(jdbc.queryForObject("select count(*) from wwn_allocation where pool_id = ? and released_at is not "
                + "null and reusable_after > now() + interval '29 days'", Long.class, pool.getId())).isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from virtual_function where vm_id is not null and adapter_id in "
                + "(select id from adapter where host_id = ?)", Long.class, host.getId())).isZero();
    }

    @Test
    void movingAVmReleasesItsVfsOnTheOldHostButKeepsItsWwpns() {
        Fabric a = fixtures.fabric("A");
        Host oldHost = fixtures.host();
        Host newHost = fixtures.host();
        fixtures.adapter(oldHost, a, 8, 2);
        fixtures.adapter(newHost, a, 8, 2);
        Vm vm = fixtures.vm(oldHost);
        vms.allocateIdentityAndAssignVfs(vm.getId(), fixtures.pool(10).getId(), "tester");

        vms.update(vm.getId(), new VmForm(vm.getName(), vm.getUuid().toString(), newHost.getId(), ""));

        assertThat(vfRepository.findByVmIdOrderByAdapterPciAddressAscVfIndexAsc(vm.getId())).isEmpty();
        assertThat(identities.findByVmIdOrderByFabricNameAsc(vm.getId())).hasSize(1);
    }

    @Test
    void anAdapterCannotHandOutMoreNpivLoginsThanItAccepts() {
        Fabric a = fixtures.fabric("A");
        Host host = fixtures.host();
        Adapter adapter = hosts.createAdapter(host.getId(), new AdapterForm(AdapterKind.CNA, "QLogic", "QL45212",
                "0000:5e:00.0", uniqueWwn(), uniqueWwn(), a.getId(), 8, 1));
        hosts.setVfCount(adapter.getId(), 2);
        List<VirtualFunction> vfs = hosts.vfsOf(adapter.getId());
        vms.assignVf(fixtures.vm(host).getId(), vfs.get(0).getId());
        assertThatThrownBy(() -> vms.assignVf(fixtures.vm(host).getId(), vfs.get(1).getId()))
                .hasMessageContaining("has reached its 1 NPIV logins");
    }

    private long liveAllocations(WwnPool pool) {
        return jdbc.queryForObject("select count(*) from wwn_allocation where pool_id = ? and released_at is null",
                Long.class, pool.getId());
    }
}
