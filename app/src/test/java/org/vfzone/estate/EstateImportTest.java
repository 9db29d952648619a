package org.vfzone.estate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatchers;
import org.mockito.Mockito;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.estate.EstateImport.File;
import org.vfzone.inventory.InventoryImport;

class EstateImportTest extends IntegrationTest {

    @Autowired
    EstateImport estateImport;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    JdbcTemplate jdbc;

    String fabA;
    String fabB;
    String esx1;
    String esx2;
    String vm1;
    String vm2;
    String array;
    String uuid1;
    final String[] w = new String[12];

    @BeforeEach
    void names() {
        fabA = fixtures.fabric("A").getName();
        fabB = fixtures.fabric("B").getName();
        esx1 = unique("esx-imp");
        esx2 = unique("esx-imp");
        vm1 = unique("vm-imp");
        vm2 = unique("vm-imp");
        array = unique("arr-imp");
        uuid1 = UUID.randomUUID().toString();
        for (int i = 0; i < w.length; i++) {
            w[i] = uniqueWwn();
        }
    }

    Map<File, String> estate() {
        Map<File, String> files = new LinkedHashMap<>();
        files.put(File.HOSTS, "Host,Cluster,Hypervisor\n" + esx1 + ",prod,VMware ESXi 8.0\n" + esx2 + ",prod,ESXi\n");
        files.put(File.ADAPTERS, "Host,PCI Address,Kind,Vendor,Model,WWNN,WWPN,Fabric,Max VFs,Max NPIV Vports,Enabled VFs\n"
                + esx1 + ",0000:3b:00.0,HBA,Emulex,LPe35002," + w[0] + "," + w[1] + "," + fabA + ",16,64,4\n"
                + esx1 + ",0000:5e:00.0,HBA,Emulex,LPe35002," + w[2] + "," + w[3] + "," + fabB + ",16,64,4\n"
                + esx2 + ",0000:3b:00.0,HBA,QLogic,QLE2772," + w[4] + "," + w[5] + "," + fabA + ",8,64,2\n");
        files.put(File.ARRAYS, "Array,Vendor,Model,Serial,Port,Port WWPN,Fabric\n"
                + array + ",Pure Storage,X70,PC1,CT0.FC0," + w[6] + "," + fabA + "\n"
                + array + ",Pure Storage,X70,PC1,CT0.FC1," + w[7] + "," + fabB + "\n");
        files.put(File.VMS, "VM,UUID,Host,Cluster,WWNN\n"
                + vm1 + "," + uuid1 + "," + esx1 + ",prod," + w[8] + "\n"
                + vm2 + ",," + esx2 + ",,\n");
        files.put(File.VM_WWPNS, "VM,Fabric,Active WWPN,Standby WWPN\n"
                + vm1 + "," + fabA + "," + w[9].replace(":", "").toUpperCase() + "," + w[10] + "\n");
        files.put(File.VFS, "Host,PCI Address,VF Index,VM\n" + esx1 + ",0000:3b:00.0,0," + vm1 + "\n"
                + esx1 + ",0000:5e:00.0,6," + vm1 + "\n");
        return files;
    }

    long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    @Test
    void aDryRunPreviewsEverythingAndStoresNothing() {
        EstateImport.Report report = estateImport.run(estate(), true);
        assertThat(report.problems()).isEmpty();
        assertThat(report.applied()).isFalse();
        assertThat(report.count(RowAction.CREATE)).isEqualTo(12);
        assertThat(count("select count(*) from host where name = ?", esx1)).isZero();
        assertThat(count("select count(*) from wwn_registry where wwn = ?", w[9])).isZero();
    }

    @Autowired
    ImportProgress progress;
    @Autowired
    MockMvc mvc;

    @Test
    void anImportReportsEachRowToItsProgressAndItsUserCanFollowItOnTheApi() throws Exception {
        List<ImportProgress.Status> seen = new ArrayList<>();
        estateImport.run(estate(), true, (done, total, file, finished) ->
                seen.add(new ImportProgress.Status(done, total, file, finished)));
        assertThat(seen.get(0)).isEqualTo(new ImportProgress.Status(0, 12, null, false));
        assertThat(seen).extracting(ImportProgress.Status::done).isSorted();
        assertThat(seen).filteredOn(status -> !status.finished()).extracting(ImportProgress.Status::file)
                .contains("hosts.csv", "vm-wwpns.csv");
        assertThat(seen.get(seen.size() - 1)).isEqualTo(new ImportProgress.Status(12, 12, null, true));

        String id = UUID.randomUUID().toString();
        MockMultipartFile hosts = new MockMultipartFile(
                "hosts", "hosts.csv", "text/csv", ("Host,Cluster,Hypervisor\n" + unique("esx") + ",c1,KVM\n"
                + unique("esx") + ",c1,KVM\n").getBytes(StandardCharsets.UTF_8));
        var operator = SecurityMockMvcRequestPostProcessors
                .user("importer").roles("OPERATOR");
        mvc.perform(MockMvcRequestBuilders.get("/api/import/progress/"
                        + id).with(operator))
                .andExpect(MockMvcResultMatchers.status().isNotFound());
        mvc.perform(MockMvcRequestBuilders.multipart("/api/import")
                        .file(hosts).param("progressId", id).with(operator))
                .andExpect(MockMvcResultMatchers.status().isOk());
        mvc.perform(MockMvcRequestBuilders.get("/api/import/progress/"
                        + id).with(operator))
                .andExpect(MockMvcResultMatchers.status().isOk())
                .andExpect(MockMvcResultMatchers.jsonPath("$.done")
                        .value(2))
                .andExpect(MockMvcResultMatchers.jsonPath("$.total")
                        .value(2))
                .andExpect(MockMvcResultMatchers.jsonPath("$.finished")
                        .value(true));
        // another user does not see it
        mvc.perform(MockMvcRequestBuilders.get("/api/import/progress/"
                        + id).with(org.springframework.security.test.web.servlet.request
                        .SecurityMockMvcRequestPostProcessors.user("someone-else").roles("OPERATOR")))
                .andExpect(MockMvcResultMatchers.status().isNotFound());
    }

    @Test
    void applyKeepsExistingIdentitiesAndAReimportChangesNothing() {
        EstateImport.Report applied = estateImport.run(estate(), false);
        assertThat(applied.problems()).isEmpty();
        assertThat(applied.applied()).isTrue();
        assertThat(jdbc.queryForObject("select wwnn from vm where name = ?", String.class, vm1)).isEqualTo(w[8]);
        assertThat(jdbc.queryForMap("""
                select i.active_wwpn, i.standby_wwpn from vm_fabric_identity i join vm v on v.id = i.vm_id
                 where v.name = ?""", vm1)).containsEntry("active_wwpn", w[9]).containsEntry("standby_wwpn", w[10]);
        assertThat(count("select count(*) from wwn_allocation where vm_name = ?", vm1))
                .as("existing identities are kept, not allocated").isZero();
        assertThat(count("""
                select count(*) from virtual_function vf join vm v on v.id = vf.vm_id where v.name = ?""", vm1))
                .isEqualTo(2);
        assertThat(count("""
                select count(*) from virtual_function vf join adapter a on a.id = vf.adapter_id
                  join host h on h.id = a.host_id where h.name = ? and a.pci_address = '0000:5e:00.0'""", esx1))
                .as("VF 6 enabled the VFs up to it").isEqualTo(7);

        EstateImport.Report again = estateImport.run(estate(), false);
        assertThat(again.problems()).isEmpty();
        assertThat(again.count(RowAction.CREATE) + again.count(RowAction.UPDATE)).isZero();
        assertThat(again.count(RowAction.UNCHANGED)).isEqualTo(12);
    }

    @Test
    void everyProblemNamesFileLineAndColumnAndNothingIsHalfApplied() {
        Map<File, String> files = estate();
        String adapterWwpn = fixtures.adapter(fixtures.host(), null, 4, 0).getWwpn().toString();
        files.put(File.ADAPTERS, files.get(File.ADAPTERS) + esx2 + ",0000:5e:00.0,HBA,QLogic,QLE2772,20:00:zz,"
                + w[11] + "," + fabB + ",8,64,2\n");
        files.put(File.ARRAYS, files.get(File.ARRAYS) + array + ",Pure Storage,X70,PC1,CT1.FC0," + adapterWwpn + ","
                + fabA + "\n");
        files.put(File.VMS, files.get(File.VMS) + unique("vm") + ",,no-such-host,,\n");
        files.put(File.VFS, files.get(File.VFS) + esx2 + ",0000:3b:00.0,8," + vm2 + "\n");

        EstateImport.Report report = estateImport.run(files, false);
        assertThat(report.applied()).isFalse();
        assertThat(report.problems()).extracting(EstateImport.Problem::file, EstateImport.Problem::line,
                        EstateImport.Problem::column)
                .containsExactlyInAnyOrder(
                        Tuple.tuple("adapters.csv", 5, "WWNN"),
                        Tuple.tuple("arrays.csv", 4, "Port WWPN"),
                        Tuple.tuple("vms.csv", 4, "Host"),
                        Tuple.tuple("vfs.csv", 4, "VF Index"));
        assertThat(report.problems()).anySatisfy(p -> assertThat(p.reason()).contains("is already used as the WWPN of adapter"));
        assertThat(report.problems()).anySatisfy(p -> assertThat(p.reason()).contains("over the adapter's limit of 8"));
        assertThat(count("select count(*) from host where name in (?, ?)", esx1, esx2)).as("all or nothing").isZero();
    }

    @Test
    void aMissingColumnOrAMalformedRowIsReportedBeforeAnythingRuns() {
        Map<File, String> files = new LinkedHashMap<>();
        files.put(File.HOSTS, "Cluster,Hypervisor,Colour\nprod,ESXi,blue\n");
        files.put(File.VM_WWPNS, "VM,Fabric,Active WWPN,Standby WWPN\na,b,c\n");
        EstateImport.Report report = estateImport.run(files, true);
        assertThat(report.changes()).isEmpty();
        assertThat(report.problems()).extracting(EstateImport.Problem::file, EstateImport.Problem::line,
                        EstateImport.Problem::column)
                .contains(Tuple.tuple("hosts.csv", 1, "Host"),
                        Tuple.tuple("hosts.csv", 1, "Colour"),
                        Tuple.tuple("vm-wwpns.csv", 2, null));
    }

    @Test
    void everyProblemOfEveryFileShowsInOneRoundWithDuplicatesFlaggedAndSemicolonsRead() {
        Map<File, String> files = estate();
        // a spreadsheet in a decimal-comma locale saves with semicolons
        files.put(File.HOSTS, files.get(File.HOSTS).replace(',', ';'));
        // a row of the wrong width does not hide the problems of the other rows and files
        files.put(File.ADAPTERS, files.get(File.ADAPTERS) + esx2 + ",0000:5e:00.0,HBA\n");
        files.put(File.VMS, files.get(File.VMS) + vm2.toUpperCase() + ",," + esx2 + ",,\n");
        files.put(File.VFS, files.get(File.VFS) + esx2 + ",0000:3b:00.0,8," + vm2 + "\n");

        EstateImport.Report report = estateImport.run(files, true);
        assertThat(report.problems()).extracting(EstateImport.Problem::file, EstateImport.Problem::line,
                        EstateImport.Problem::column)
                .containsExactly(
                        Tuple.tuple("adapters.csv", 5, null),
                        Tuple.tuple("vms.csv", 4, "VM"),
                        Tuple.tuple("vfs.csv", 4, "VF Index"));
        assertThat(report.problems().get(1).reason()).isEqualTo("duplicates line 3 (same VM)");
        assertThat(report.changes()).filteredOn(c -> c.file().equals("hosts.csv")).hasSize(2)
                .allSatisfy(c -> assertThat(c.action()).isEqualTo(RowAction.CREATE));
        assertThat(count("select count(*) from host where name in (?, ?)", esx1, esx2)).isZero();
    }

    @Test
    void aReimportUpdatesWhatChangedAuditsItAndAMovedVmLeavesItsVfsBehind() {
        assertThat(estateImport.run(estate(), false).applied()).isTrue();
        Map<File, String> files = new LinkedHashMap<>();
        files.put(File.HOSTS, "Host,Cluster,Hypervisor\n" + esx1 + ",dev,ESXi\n" + esx2 + ",prod,ESXi\n");
        files.put(File.ADAPTERS, "Host,PCI Address,Kind,Vendor,Model,WWNN,WWPN,Fabric,Max VFs,Max NPIV Vports\n"
                + esx1 + ",0000:3b:00.0,HBA,Emulex,LPe36002," + w[0] + "," + w[1] + "," + fabA + ",16,64\n");
        files.put(File.ARRAYS, "Array,Vendor,Model,Serial,Port,Port WWPN,Fabric\n"
                + array + ",Pure Storage,X70,PC2,CT0.FC0," + w[6] + "," + fabA + "\n"
                + array + ",Pure Storage,X70,PC2,CT0.FC1," + w[7] + "," + fabB + "\n");
        files.put(File.VMS, "VM,UUID,Host,Cluster,WWNN\n" + vm1 + ",," + esx2 + ",,\n");
        files.put(File.VFS, "Host,PCI Address,VF Index,VM\n" + esx2 + ",0000:3b:00.0,1," + vm1 + "\n");

        EstateImport.Report report = estateImport.run(files, false);
        assertThat(report.problems()).isEmpty();
        assertThat(report.changes()).extracting(EstateImport.Change::file, EstateImport.Change::line,
                        EstateImport.Change::action)
                .containsExactly(
                        Tuple.tuple("hosts.csv", 2, RowAction.UPDATE),
                        Tuple.tuple("hosts.csv", 3, RowAction.UNCHANGED),
                        Tuple.tuple("adapters.csv", 2, RowAction.UPDATE),
                        Tuple.tuple("arrays.csv", 2, RowAction.UPDATE),
                        Tuple.tuple("arrays.csv", 3, RowAction.UNCHANGED),
                        Tuple.tuple("vms.csv", 2, RowAction.UPDATE),
                        Tuple.tuple("vfs.csv", 2, RowAction.CREATE));
        assertThat(jdbc.queryForList("""
                select h.name || ' ' || a.pci_address || ' ' || vf.vf_index from virtual_function vf
                  join adapter a on a.id = vf.adapter_id join host h on h.id = a.host_id
                  join vm v on v.id = vf.vm_id where v.name = ?""", String.class, vm1))
                .as("the VFs on the old host are freed").containsExactly(esx2 + " 0000:3b:00.0 1");
        assertThat(jdbc.queryForObject("select cluster from host where name = ?", String.class, esx1)).isEqualTo("dev");
        assertThat(jdbc.queryForObject("select model from adapter a join host h on h.id = a.host_id "
                + "where h.name = ? and a.pci_address = '0000:3b:00.0'", String.class, esx1)).isEqualTo("LPe36002");
        assertThat(jdbc.queryForObject("select serial from storage_array where name = ?", String.class, array))
                .isEqualTo("PC2");
        assertThat(jdbc.queryForList("""
                select e.action || ': ' || e.summary from audit_event e join host h on h.id = e.object_id
                 where e.object_type = 'host' and h.name = ? and position(h.name in e.summary) > 0
                 order by e.id""", String.class, esx1))
                .containsExactly("CREATE: Created host " + esx1, "UPDATE: Changed host " + esx1);
        assertThat(jdbc.queryForList("""
                select e.action from audit_event e join vm v on v.id = e.object_id
                 where e.object_type = 'vm' and v.name = ? and position(v.name in e.summary) > 0
                 order by e.id""", String.class, vm1))
                .containsExactly("CREATE", "KEEP_WWNN", "KEEP_WWPNS", "ASSIGN_VF", "ASSIGN_VF", "UPDATE",
                        "ASSIGN_VF");
    }

    @Test
    void rulesOnStoredStateAreCheckedForEveryRowCountingTheRowsBeforeIt() {
        assertThat(estateImport.run(estate(), false).applied()).isTrue();
        String[] n = new String[6];
        for (int i = 0; i < n.length; i++) {
            n[i] = uniqueWwn();
        }
        String array2 = unique("arr-imp");
        String vm4 = unique("vm-imp");
        String vm5 = unique("vm-imp");
        Map<File, String> files = new LinkedHashMap<>();
        files.put(File.ADAPTERS, "Host,PCI Address,Kind,Vendor,Model,WWNN,WWPN,Fabric,Max VFs,Max NPIV Vports,Enabled VFs\n"
                + esx1 + ",0000:3b:00.0,HBA,Emulex,LPe35002," + w[0] + "," + w[1] + "," + fabB + ",16,64,4\n"
                + esx1 + ",0000:5e:00.0,HBA,Emulex,LPe35002," + w[2] + "," + w[3] + "," + fabB + ",4,64,\n"
                + esx2 + ",0000:af:00.0,HBA,QLogic,QLE2772," + n[0] + "," + n[1] + "," + fabB + ",8,1,2\n");
        files.put(File.ARRAYS, "Array,Vendor,Model,Serial,Port,Port WWPN,Fabric\n"
                + array2 + ",Pure Storage,X70,S1,CT0.FC0," + n[2] + "," + fabA + "\n"
                + array2 + ",NetApp,AFF,S1,CT0.FC1," + n[3] + "," + fabA + "\n");
        files.put(File.VMS, "VM,UUID,Host,Cluster,WWNN\n"
                + unique("vm-imp") + "," + uuid1 + "," + esx2 + ",,\n"
                + vm4 + ",," + esx1 + ",,\n"
                + vm5 + ",," + esx2 + ",,\n"
                + unique("vm-imp") + ",," + esx2 + ",," + n[0] + "\n");
        files.put(File.VM_WWPNS, "VM,Fabric,Active WWPN,Standby WWPN\n" + vm1 + "," + fabA + "," + n[4] + "," + n[5]
                + "\n");
        files.put(File.VFS, "Host,PCI Address,VF Index,VM\n"
                + esx1 + ",0000:3b:00.0,1," + vm2 + "\n"
                + esx1 + ",0000:3b:00.0,0," + vm4 + "\n"
                + esx2 + ",0000:af:00.0,0," + vm2 + "\n"
                + esx2 + ",0000:af:00.0,1," + vm5 + "\n");

        EstateImport.Report report = estateImport.run(files, false);
        assertThat(report.applied()).isFalse();
        assertThat(report.problems()).extracting(EstateImport.Problem::file, EstateImport.Problem::line,
                        EstateImport.Problem::column)
                .containsExactly(
                        Tuple.tuple("adapters.csv", 2, "Fabric"),
                        Tuple.tuple("adapters.csv", 3, "Max VFs"),
                        Tuple.tuple("arrays.csv", 3, "Vendor"),
                        Tuple.tuple("vms.csv", 2, "UUID"),
                        Tuple.tuple("vms.csv", 5, "WWNN"),
                        Tuple.tuple("vm-wwpns.csv", 2, "Active WWPN"),
                        Tuple.tuple("vfs.csv", 2, "VF Index"),
                        Tuple.tuple("vfs.csv", 3, "VF Index"),
                        Tuple.tuple("vfs.csv", 5, "VF Index"));
        assertThat(report.problems()).extracting(EstateImport.Problem::reason).containsExactly(
                "the adapter has VFs assigned to VMs; unassign them before recabling it to another fabric",
                "the adapter has 7 VFs enabled (highest index 6); disable VFs before lowering the maximum",
                "array " + array2 + " is described differently on line 2 (its vendor, model and serial must be the "
                        + "same on each of its rows)",
                "another VM already has UUID " + uuid1,
                n[0] + " is also on adapters.csv line 4",
                "VM " + vm1 + " already has the pair " + w[9] + " / " + w[10] + " on fabric " + fabA
                        + "; release it before recording another",
                "VF 0000:3b:10.1 belongs to host " + esx1 + ", but VM " + vm2 + " runs on " + esx2,
                "VF 0000:3b:10.0 is already assigned to VM " + vm1,
                "adapter QLogic QLE2772 @ 0000:af:00.0 has reached its 1 NPIV logins");
        assertThat(report.changes()).extracting(EstateImport.Change::file, EstateImport.Change::line)
                .contains(Tuple.tuple("adapters.csv", 4),
                        Tuple.tuple("vfs.csv", 4));
        assertThat(count("select count(*) from adapter where pci_address = '0000:af:00.0' and wwnn = ?", n[0]))
                .as("nothing of a refused import is stored").isZero();
    }

    @Autowired
    EstateRows estateRows;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void aChangeMadeInTheUiWhileAFileIsAppliedFailsTheImportWholeAndSaysSo() {
        // the same host name entered in the UI between the check and the insert
        InventoryImport racing = Mockito.mock(
                InventoryImport.class);
        Mockito.when(racing.hosts(ArgumentMatchers.anyList())).thenThrow(
                new DataIntegrityViolationException("duplicate key value violates unique "
                        + "constraint \"host_name_uk\""));
        EstateImport.Report report = new EstateImport(estateRows, racing, transactions)
                .run(estate(), false);
        assertThat(report.applied()).isFalse();
        assertThat(report.changes()).isEmpty();
        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo("hosts.csv");
            assertThat(problem.reason()).contains("the inventory changed while this file was applied")
                    .endsWith("run the import again");
        });
    }

    @Test
    void theDelimiterIsTheOneTheHeaderHoldsMostOfOutsideQuotes() {
        assertThat(EstateCsv.delimiter("Host,Cluster,Hypervisor\n")).isEqualTo(',');
        assertThat(EstateCsv.delimiter("Host;Cluster;Hypervisor\na;b,c;d\n")).isEqualTo(';');
        assertThat(EstateCsv.delimiter("\"Host;x\",Cluster,Hypervisor\n")).isEqualTo(',');
        assertThat(EstateCsv.delimiter("Host\tCluster\tHypervisor\n")).isEqualTo('\t');
    }
}
