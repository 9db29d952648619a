package org.vfzone.inventory;

import static org.vfzone.system.Texts.blankToNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.internal.StorageArrayRepository;
import org.vfzone.inventory.internal.TargetPortRepository;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFields;
import org.vfzone.wwn.WwnRegistry;

/** Storage arrays and their FC target ports. */
@Service
@Transactional
public class StorageArrayService {

    private final AuditLog audit;
    private final StorageArrayRepository arrays;
    private final TargetPortRepository ports;
    private final FabricService fabrics;
    private final WwnRegistry wwnRegistry;
    private final ArrayGrants grants;

    StorageArrayService(StorageArrayRepository arrays, TargetPortRepository ports, FabricService fabrics,
                        WwnRegistry wwnRegistry, AuditLog audit, ArrayGrants grants) {
        this.grants = grants;
        this.arrays = arrays;
        this.audit = audit;
        this.ports = ports;
        this.fabrics = fabrics;
        this.wwnRegistry = wwnRegistry;
    }

    @Transactional(readOnly = true)
    public List<StorageArray> list() {
        return arrays.findAllByOrderByNameAsc();
    }

    @Transactional(readOnly = true)
    public StorageArray get(long id) {
        return arrays.findById(id).orElseThrow(() -> new NotFoundException("Storage array", id));
    }

    @Transactional(readOnly = true)
    public List<TargetPort> portsOf(long arrayId) {
        return ports.findByArrayIdOrderByNameAsc(arrayId);
    }

    @Transactional(readOnly = true)
    public Optional<StorageArray> findByName(String name) {
        return arrays.findByNameIgnoreCase(name == null ? "" : name);
    }

    public StorageArray create(StorageArrayForm form) {
        if (arrays.existsByNameIgnoreCase(form.name().strip())) {
            throw RuleViolation.conflict("name", "an array named " + form.name().strip() + " already exists");
        }
        StorageArray array = new StorageArray(form.name().strip(), form.vendor().strip());
        apply(array, form);
        StorageArray saved = arrays.save(array);
        audit.change("CREATE", "array", saved.getId(), "Created storage array " + saved.getName(), null,
                StorageArrayForm.of(saved));
        return saved;
    }

    public StorageArray update(long id, StorageArrayForm form) {
        StorageArray array = get(id);
        if (arrays.existsByNameIgnoreCaseAndIdNot(form.name().strip(), id)) {
            throw RuleViolation.conflict("name", "an array named " + form.name().strip() + " already exists");
        }
        StorageArrayForm before = StorageArrayForm.of(array);
        apply(array, form);
        audit.change("UPDATE", "array", id, "Changed storage array " + array.getName(), before,
                StorageArrayForm.of(array));
        return array;
    }

    /** Names of the VMs that may reach the array. */
    @Transactional(readOnly = true)
    public List<String> vmsWithAccess(long arrayId) {
        return grants.vmsWithAccess(arrayId);
    }

    /** Ids of the VMs that may reach the array, for the VM list's array filter; an unknown array is that field's error. */
    @Transactional(readOnly = true)
    public Set<Long> vmIdsWithAccess(long arrayId, String field) {
        if (arrays.findById(arrayId).isEmpty()) {
            throw RuleViolation.invalid(field, "there is no array with id " + arrayId);
        }
        return grants.vmIdsWithAccess(arrayId);
    }

    /**
     * Deletes the array with its target ports. Refused while VMs may reach it, naming them, unless
     * {@code revokeGrants}: then their access is revoked with it (audited; the next plan removes their zones).
     */
    public void delete(long id, boolean revokeGrants) {
        StorageArray array = get(id);
        List<String> vms = grants.vmsWithAccess(id);
        if (!vms.isEmpty()) {
            if (!revokeGrants) {
                throw RuleViolation.conflict(null, "Array " + array.getName() + " is reachable by "
                        + describe(vms) + ". Revoke that access first, or delete it with its grants revoked "
                        + "(revokeGrants=true); the next plan of each fabric then removes their zones");
            }
            grants.revokeAll(id);
        }
        ports.deleteAll(ports.findByArrayIdOrderByNameAsc(id));
        arrays.delete(array);
        audit.change("DELETE", "array", id, "Deleted storage array " + array.getName() + " with its ports",
                StorageArrayForm.of(array), null);
    }

    public TargetPort addPort(long arrayId, TargetPortForm form) {
        StorageArray array = get(arrayId);
        if (ports.existsByArrayIdAndNameIgnoreCase(arrayId, form.name().strip())) {
            throw RuleViolation.conflict("name", "array " + array.getName() + " already has a port named "
                    + form.name().strip());
        }
        TargetPort port = new TargetPort(array);
        apply(port, form);
        TargetPort saved = ports.saveAndFlush(port);
        audit.change("ADD_PORT", "array", arrayId, "Added target port " + saved.getName() + " (" + saved.getWwpn()
                + ") to array " + array.getName(), null, form);
        return saved;
    }

    public TargetPort updatePort(long portId, TargetPortForm form) {
        TargetPort port = getPort(portId);
        if (ports.existsByArrayIdAndNameIgnoreCaseAndIdNot(port.getArray().getId(), form.name().strip(), portId)) {
            throw RuleViolation.conflict("name", "the array already has a port named " + form.name().strip());
        }
        apply(port, form);
        TargetPort saved = ports.saveAndFlush(port);
        audit.change("UPDATE_PORT", "array", saved.getArray().getId(), "Changed target port " + saved.getName(), null,
                form);
        return saved;
    }

    @Transactional(readOnly = true)
    public TargetPort getPort(long portId) {
        return ports.findById(portId).orElseThrow(() -> new NotFoundException("Target port", portId));
    }

    /**
     * Deletes a target port. Refused while VMs may reach its array, naming them, unless the caller acknowledges
     * that the next plan removes the port from those VMs' zones.
     */
    public void deletePort(long portId, boolean acknowledgeGrants) {
        TargetPort port = getPort(portId);
        List<String> vms = grants.vmsWithAccess(port.getArray().getId());
        if (!vms.isEmpty() && !acknowledgeGrants) {
            throw RuleViolation.conflict(null, "Port " + port.getName() + " of array " + port.getArray().getName()
                    + " is zoned for " + describe(vms) + ". Delete it with acknowledgeGrants=true to take it out of "
                    + "their zones at the next plan");
        }
        ports.delete(port);
        audit.change("DELETE_PORT", "array", port.getArray().getId(), "Deleted target port " + port.getName() + " ("
                + port.getWwpn() + ")", port.getWwpn().toString(), null);
    }

    private static String describe(List<String> vms) {
        List<String> shown = vms.subList(0, Math.min(20, vms.size()));
        return vms.size() + " VM(s): " + String.join(", ", shown) + (vms.size() > shown.size() ? ", …" : "");
    }

    private void apply(TargetPort port, TargetPortForm form) {
        Wwn wwpn = WwnFields.parse(form.wwpn(), "wwpn");
        wwnRegistry.requireUnused(wwpn, "wwpn", "target_port", "wwpn", port.getId());
        port.setName(form.name().strip());
        port.setWwpn(wwpn);
        port.setFabric(fabrics.getForField(form.fabricId(), "fabricId"));
    }

    private static void apply(StorageArray array, StorageArrayForm form) {
        array.setName(form.name().strip());
        array.setVendor(form.vendor().strip());
        array.setModel(blankToNull(form.model()));
        array.setSerial(blankToNull(form.serial()));
    }
}
