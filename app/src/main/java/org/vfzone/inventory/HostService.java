package org.vfzone.inventory;

import static org.vfzone.system.Texts.blankToNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.internal.AdapterRepository;
import org.vfzone.inventory.internal.HostRepository;
import org.vfzone.inventory.internal.VirtualFunctionRepository;
import org.vfzone.inventory.internal.VmRepository;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.Paging;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFields;
import org.vfzone.wwn.WwnRegistry;

/** Hosts, their physical adapters and the adapters' SR-IOV virtual functions. */
@Service
@Transactional
public class HostService {

    /**
     * VF PCI addresses follow the SR-IOV routing-ID rule: VF n sits at the PF's routing ID + First VF Offset +
     * n × VF Stride. These are common values; adapters that use others show other addresses (not editable yet).
     */
    static final int FIRST_VF_OFFSET = 0x80;
    static final int VF_STRIDE = 1;

    private final AuditLog audit;
    private final HostRepository hosts;
    private final AdapterRepository adapters;
    private final VirtualFunctionRepository vfs;
    private final VmRepository vms;
    private final FabricService fabrics;
    private final WwnRegistry wwnRegistry;

    HostService(HostRepository hosts, AdapterRepository adapters, VirtualFunctionRepository vfs, VmRepository vms,
                FabricService fabrics, WwnRegistry wwnRegistry, AuditLog audit) {
        this.hosts = hosts;
        this.audit = audit;
        this.adapters = adapters;
        this.vfs = vfs;
        this.vms = vms;
        this.fabrics = fabrics;
        this.wwnRegistry = wwnRegistry;
    }

    @Transactional(readOnly = true)
    /** Host lists sort by name, cluster or hypervisor ({@code field,asc|desc}), then by name. */
    public static Sort sort(String spec) {
        return Paging.sort(spec, Map.of(
                "name", Paging.Column.text("name"),
                "cluster", Paging.Column.text("cluster"),
                "hypervisor", Paging.Column.plain("hypervisor")),
                Sort.by("name", "id"));
    }

    public Page<Host> search(String query, Pageable pageable) {
        return hosts.search(query == null ? "" : query.strip().toLowerCase(Locale.ROOT), pageable);
    }

    @Transactional(readOnly = true)
    public List<Host> all() {
        return hosts.findAllByOrderByNameAsc();
    }

    /** The host in {@code cluster} (any case) with the most VFs free; among equals, the first by name. */
    @Transactional(readOnly = true)
    public Optional<Host> roomiestOf(String cluster) {
        return hosts.roomiestOfCluster(cluster.strip()).map(this::get);
    }

    @Transactional(readOnly = true)
    public Host get(long id) {
        return hosts.findById(id).orElseThrow(() -> new NotFoundException("Host", id));
    }

    /** The host of this name, compared ignoring case as names are unique regardless of case. */
    @Transactional(readOnly = true)
    public Optional<Host> findByName(String name) {
        return hosts.findByNameIgnoreCase(name == null ? "" : name);
    }

    @Transactional(readOnly = true)
    public Optional<Adapter> findAdapter(long hostId, String pciAddress) {
        return adapters.findByHostIdAndPciAddress(hostId, pciAddress);
    }

    public Host create(HostForm form) {
        if (hosts.existsByNameIgnoreCase(form.name().strip())) {
            throw RuleViolation.conflict("name", "a host named " + form.name().strip() + " already exists");
        }
        Host host = hosts.save(new Host(form.name().strip(), blankToNull(form.cluster()), form.hypervisor()));
        audit.change("CREATE", "host", host.getId(), "Created host " + host.getName(), null, HostForm.of(host));
        return host;
    }

    public Host update(long id, HostForm form) {
        Host host = get(id);
        if (hosts.existsByNameIgnoreCaseAndIdNot(form.name().strip(), id)) {
            throw RuleViolation.conflict("name", "a host named " + form.name().strip() + " already exists");
        }
        HostForm before = HostForm.of(host);
        host.setName(form.name().strip());
        host.setCluster(blankToNull(form.cluster()));
        host.setHypervisor(form.hypervisor());
        audit.change("UPDATE", "host", id, "Changed host " + host.getName(), before, HostForm.of(host));
        return host;
    }

    /**
     * Deletes a host with its adapters and their VFs. Refused while any VM runs on it; since a VM only holds VFs
     * of its own host, no assigned VF can be lost.
     */
    public void delete(long id) {
        Host host = get(id);
        long vmCount = vms.countByHostId(id);
        if (vmCount > 0) {
            throw RuleViolation.conflict(null, "host " + host.getName() + " still runs " + vmCount
                    + " VM(s); move or delete them first");
        }
        adapters.deleteAll(adapters.findByHostIdOrderByPciAddressAsc(id));
        hosts.delete(host);
        audit.change("DELETE", "host", id, "Deleted host " + host.getName() + " with its adapters", HostForm.of(host),
                null);
    }

    @Transactional(readOnly = true)
    public List<Adapter> adaptersOf(long hostId) {
        return adapters.findByHostIdOrderByPciAddressAsc(hostId);
    }

    @Transactional(readOnly = true)
    public Adapter getAdapter(long id) {
        return adapters.findById(id).orElseThrow(() -> new NotFoundException("Adapter", id));
    }

    @Transactional(readOnly = true)
    public List<VirtualFunction> vfsOf(long adapterId) {
        return vfs.findByAdapterIdOrderByVfIndexAsc(adapterId);
    }

    public Adapter createAdapter(long hostId, AdapterForm form) {
        Host host = get(hostId);
        Adapter adapter = new Adapter(host);
        apply(adapter, form);
        Adapter saved = adapters.saveAndFlush(adapter);
        audit.change("CREATE", "adapter", saved.getId(), "Added adapter " + saved.getLabel() + " to host "
                + host.getName(), null, AdapterForm.of(saved));
        return saved;
    }

    public Adapter updateAdapter(long id, AdapterForm form) {
        Adapter adapter = adapters.findByIdForUpdate(id).orElseThrow(() -> new NotFoundException("Adapter", id));
        int highestIndex = vfs.maxIndex(id);
        if (form.maxVfs() <= highestIndex) {
            throw RuleViolation.conflict("maxVfs", "the adapter has " + vfs.countByAdapterId(id)
                    + " VFs enabled (highest index " + highestIndex + "); disable VFs before lowering the maximum");
        }
        Long oldFabric = adapter.getFabric() == null ? null : adapter.getFabric().getId();
        if (!Objects.equals(oldFabric, form.fabricId()) && vfs.countByAdapterIdAndVmIsNotNull(id) > 0) {
            throw RuleViolation.conflict("fabricId",
                    "the adapter has VFs assigned to VMs; unassign them before recabling it to another fabric");
        }
        AdapterForm before = AdapterForm.of(adapter);
        apply(adapter, form);
        Adapter saved = adapters.saveAndFlush(adapter);
        audit.change("UPDATE", "adapter", id, "Changed adapter " + saved.getLabel(), before, AdapterForm.of(saved));
        return saved;
    }

    public void deleteAdapter(long id) {
        Adapter adapter = getAdapter(id);
        long assigned = vfs.countByAdapterIdAndVmIsNotNull(id);
        if (assigned > 0) {
            throw RuleViolation.conflict(null, "adapter " + adapter.getLabel() + " has " + assigned
                    + " VF(s) assigned to VMs; unassign them first");
        }
        adapters.delete(adapter);
        audit.change("DELETE", "adapter", id, "Deleted adapter " + adapter.getLabel(), AdapterForm.of(adapter), null);
    }

    /** Sets the number of enabled VFs (like writing sriov_numvfs): adds VFs, or removes free ones from the top. */
    public List<VirtualFunction> setVfCount(long adapterId, int count) {
        Adapter adapter = adapters.findByIdForUpdate(adapterId)
                .orElseThrow(() -> new NotFoundException("Adapter", adapterId));
        if (count < 0 || count > adapter.getMaxVfs()) {
            throw RuleViolation.invalid("count", "must be between 0 and the adapter's maximum of "
                    + adapter.getMaxVfs() + " VFs");
        }
        List<VirtualFunction> existing = vfs.findByAdapterIdOrderByVfIndexAsc(adapterId);
        if (count < existing.size()) {
            List<VirtualFunction> surplus = existing.subList(count, existing.size());
            surplus.stream().filter(vf -> vf.getVm() != null).findFirst().ifPresent(vf -> {
                throw RuleViolation.conflict("count", "VF " + vf.getVfIndex() + " is assigned to VM "
                        + vf.getVm().getName() + "; unassign it before disabling VFs");
            });
            vfs.deleteAll(surplus);
        } else {
            for (int index = existing.size(); index < count; index++) {
                vfs.save(new VirtualFunction(adapter, index, vfPciAddress(adapter.getPciAddress(), index)));
            }
        }
        vfs.flush();
        audit.change("SET_VFS", "adapter", adapterId, "Set " + count + " VFs enabled on adapter " + adapter.getLabel(),
                existing.size(), count);
        return vfs.findByAdapterIdOrderByVfIndexAsc(adapterId);
    }

    static String vfPciAddress(String pfAddress, int vfIndex) {
        String[] domainRest = pfAddress.split(":", 2);
        int domain = Integer.parseInt(domainRest[0], 16);
        String[] busDevFn = domainRest[1].split("[:.]");
        int routingId = (Integer.parseInt(busDevFn[0], 16) << 8) | (Integer.parseInt(busDevFn[1], 16) << 3)
                | Integer.parseInt(busDevFn[2], 16);
        int vf = routingId + FIRST_VF_OFFSET + vfIndex * VF_STRIDE;
        return String.format("%04x:%02x:%02x.%x", domain, (vf >> 8) & 0xFF, (vf >> 3) & 0x1F, vf & 0x7);
    }

    private void apply(Adapter adapter, AdapterForm form) {
        String pci = form.pciAddress().strip().toLowerCase(Locale.ROOT);
        Long hostId = adapter.getHost().getId();
        boolean duplicate = adapter.isNew() ? adapters.existsByHostIdAndPciAddress(hostId, pci)
                : adapters.existsByHostIdAndPciAddressAndIdNot(hostId, pci, adapter.getId());
        if (duplicate) {
            throw RuleViolation.conflict("pciAddress", "host " + adapter.getHost().getName()
                    + " already has an adapter at " + pci);
        }
        Wwn wwnn = WwnFields.parse(form.wwnn(), "wwnn");
        Wwn wwpn = WwnFields.parse(form.wwpn(), "wwpn");
        if (wwnn.equals(wwpn)) {
            throw RuleViolation.invalid("wwpn", "must differ from the WWNN");
        }
        wwnRegistry.requireUnused(wwnn, "wwnn", "adapter", "wwnn", adapter.getId());
        wwnRegistry.requireUnused(wwpn, "wwpn", "adapter", "wwpn", adapter.getId());
        adapter.setKind(form.kind());
        adapter.setVendor(form.vendor().strip());
        adapter.setModel(form.model().strip());
        adapter.setPciAddress(pci);
        adapter.setWwnn(wwnn);
        adapter.setWwpn(wwpn);
        adapter.setFabric(form.fabricId() == null ? null : fabrics.getForField(form.fabricId(), "fabricId"));
        adapter.setMaxVfs(form.maxVfs());
        adapter.setMaxNpivVports(form.maxNpivVports());
    }
}
