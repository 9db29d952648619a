package org.vfzone.inventory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.inventory.internal.AdapterRepository;
import org.vfzone.inventory.internal.FabricRepository;
import org.vfzone.inventory.internal.TargetPortRepository;
import org.vfzone.inventory.internal.VmFabricIdentityRepository;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.Paging;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.Texts;

@Service
@Transactional
public class FabricService {

    private final FabricRepository fabrics;
    private final AdapterRepository adapters;
    private final TargetPortRepository targetPorts;
    private final VmFabricIdentityRepository identities;

    private final FabricConnectionStore connections;
    private final AuditLog audit;

    /** The simulated switch keeps its zoning in one process's memory: demo mode and tests only. */
    private final boolean simulatedAllowed;

    FabricService(FabricRepository fabrics, AdapterRepository adapters, TargetPortRepository targetPorts,
                  VmFabricIdentityRepository identities, FabricConnectionStore connections,
                  AuditLog audit,
                  InventoryProperties properties) {
        this.simulatedAllowed = properties.simulatedAllowed();
        this.connections = connections;
        this.audit = audit;
        this.fabrics = fabrics;
        this.adapters = adapters;
        this.targetPorts = targetPorts;
        this.identities = identities;
    }

    @Transactional(readOnly = true)
    /** Fabric lists sort by name, side, vendor or vfId ({@code field,asc|desc}). */
    public static Comparator<Fabric> order(String sort) {
        return Paging.order(sort, Map.of("name", Fabric::getName, "side", Fabric::getSide,
                "vendor", (Fabric f) -> f.getVendor().code(), "vfId", Fabric::getVirtualFabricId));
    }

    public List<Fabric> list() {
        return fabrics.findAllByOrderByNameAsc();
    }

    @Transactional(readOnly = true)
    public Fabric get(long id) {
        return fabrics.findById(id).orElseThrow(() -> new NotFoundException("Fabric", id));
    }

    @Transactional(readOnly = true)
    public Optional<Fabric> findByName(String name) {
        return fabrics.findByNameIgnoreCase(name == null ? "" : name);
    }

    /** A fabric named in a form field; an unknown id is that field's error, not a missing page. */
    @Transactional(readOnly = true)
    public Fabric getForField(Long id, String field) {
        return fabrics.findById(id)
                .orElseThrow(() -> RuleViolation.invalid(field, "fabric " + id + " does not exist"));
    }

    public Fabric create(FabricForm form) {
        FabricVendor vendor = vendor(form);
        if (fabrics.existsByNameIgnoreCase(form.name().strip())) {
            throw RuleViolation.conflict("name", "a fabric named " + form.name().strip() + " already exists");
        }
        Fabric fabric = new Fabric(form.name().strip(), form.side().strip(), vendor);
        apply(fabric, form);
        Fabric saved = fabrics.saveAndFlush(fabric);
        String note = connections.save(saved.getId(), form.connection(), false);
        audit.change("CREATE", "fabric", saved.getId(), "Created fabric " + saved.getName() + note, null,
                formOf(saved));
        return saved;
    }

    public Fabric update(long id, FabricForm form) {
        Fabric fabric = get(id);
        if (fabrics.existsByNameIgnoreCaseAndIdNot(form.name().strip(), id)) {
            throw RuleViolation.conflict("name", "a fabric named " + form.name().strip() + " already exists");
        }
        FabricForm before = formOf(fabric);
        String switchBefore = fabric.getVendor().code() + "|" + fabric.getVirtualFabricId();
        apply(fabric, form);
        String switchAfter = fabric.getVendor().code() + "|" + fabric.getVirtualFabricId();
        String note = connections.save(id, form.connection(), !switchAfter.equals(switchBefore));
        audit.change("UPDATE", "fabric", id, "Changed fabric " + fabric.getName() + note, before, formOf(fabric));
        return fabric;
    }

    /** The fabric's form with its stored connection (no password): for the edit page, the API and the audit. */
    @Transactional(readOnly = true)
    public FabricForm formOf(Fabric fabric) {
        return FabricForm.of(fabric, connections.of(fabric.getId()));
    }

    @Transactional(readOnly = true)
    public FabricConnectionStore.Stored connectionOf(long fabricId) {
        return connections.of(fabricId);
    }

    @Transactional(readOnly = true)
    public Map<Long, FabricConnectionStore.Stored> connections() {
        return connections.all();
    }

    public void delete(long id) {
        Fabric fabric = get(id);
        List<String> uses = new ArrayList<>();
        long adapterCount = adapters.countByFabricId(id);
        long portCount = targetPorts.countByFabricId(id);
        long identityCount = identities.countByFabricId(id);
        if (adapterCount > 0) {
            uses.add(adapterCount + " adapter(s) cabled to it");
        }
        if (portCount > 0) {
            uses.add(portCount + " target port(s)");
        }
        if (identityCount > 0) {
            uses.add(identityCount + " VM WWPN pair(s)");
        }
        if (!uses.isEmpty()) {
            throw RuleViolation.conflict(null, "fabric " + fabric.getName() + " is in use: "
                    + String.join(", ", uses));
        }
        FabricForm before = formOf(fabric);
        fabrics.delete(fabric);
        audit.change("DELETE", "fabric", id, "Deleted fabric " + fabric.getName(), before, null);
    }

    private FabricVendor vendor(FabricForm form) {
        return FabricVendor.fromCode(form.vendor()).filter(this::selectable)
                .orElseThrow(() -> RuleViolation.invalid("vendor", FabricVendor.fromCode(form.vendor()).isPresent()
                        ? "the simulated switch keeps its zoning in this process's memory and is offered only in "
                        + "demo mode; choose brocade-fos-rest or cisco-mds-nxapi"
                        : "unknown vendor " + form.vendor()));
    }

    private boolean selectable(FabricVendor vendor) {
        return vendor != FabricVendor.SIMULATED || simulatedAllowed;
    }

    /** The vendors a fabric form offers: the simulated switch only in demo mode. */
    public List<FabricVendor> selectableVendors() {
        return Arrays.stream(FabricVendor.values()).filter(this::selectable).toList();
    }

    private void apply(Fabric fabric, FabricForm form) {
        fabric.setName(form.name().strip());
        fabric.setSide(form.side().strip());
        // a fabric kept as simulated (made in demo mode) may still be edited; none becomes simulated
        fabric.setVendor(fabric.getVendor() == FabricVendor.SIMULATED
                && FabricVendor.SIMULATED.code().equalsIgnoreCase(form.vendor()) ? FabricVendor.SIMULATED : vendor(form));
        fabric.setVirtualFabricId(form.virtualFabricId());
        fabric.setDescription(Texts.blankToNull(form.description()));
        if (form.zoningPolicy() != null) {
            fabric.setZoningPolicy(form.zoningPolicy());
        }
        if (Texts.blankToNull(form.zoneNameTemplate()) != null) {
            String template = form.zoneNameTemplate().strip();
            if (!template.contains("{vm}") || !template.contains("{array}") || template.indexOf('{') == 0) {
                throw RuleViolation.invalid("zoneNameTemplate",
                        "must start with a fixed prefix and contain {vm} and {array}, e.g. vfz_{vm}_{array}");
            }
            fabric.setZoneNameTemplate(template);
        }
        if (form.zoneHostHbas() != null) {
            fabric.setZoneHostHbas(form.zoneHostHbas());
        }
        if (Texts.blankToNull(form.aliasKind()) != null) {
            if (Fabric.ALIAS_KIND_FCALIAS.equals(form.aliasKind()) && fabric.getVendor() != FabricVendor.CISCO_MDS_NXAPI) {
                throw RuleViolation.invalid("aliasKind", "fcaliases exist on Cisco MDS fabrics only");
            }
            fabric.setAliasKind(form.aliasKind());
        }
        if (Texts.blankToNull(form.defaultConfigName()) != null) {
            fabric.setDefaultConfigName(form.defaultConfigName().strip());
        }
    }

}
