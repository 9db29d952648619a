package org.vfzone.provisioning;

import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.VmService;
import org.vfzone.system.PageController;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.WwnPoolService;

/** "New VM with storage": the form, and the job's progress page. */
@PageController
class ProvisioningController {

    private final Provisioning provisioning;
    private final HostService hosts;
    private final StorageArrayService arrays;
    private final WwnPoolService pools;
    private final FabricService fabrics;

    ProvisioningController(Provisioning provisioning, HostService hosts, StorageArrayService arrays,
                           WwnPoolService pools, FabricService fabrics,
                           InventoryDirectory inventory, VmService vms) {
        this.inventory = inventory;
        this.vms = vms;
        this.provisioning = provisioning;
        this.hosts = hosts;
        this.arrays = arrays;
        this.pools = pools;
        this.fabrics = fabrics;
    }

    private final InventoryDirectory inventory;
    private final VmService vms;

    @GetMapping("/provision")
    String form(@RequestParam(required = false) Provisioning.Status status,
                Model model) {
        model.addAttribute("jobStatus", status);
        model.addAttribute("hosts", hosts.all());
        model.addAttribute("clusters", hosts.all().stream().map(h -> h.getCluster()).filter(c -> c != null
                && !c.isBlank()).distinct().sorted().toList());
        model.addAttribute("arrays", arrays.list());
        model.addAttribute("pools", pools.list());
        model.addAttribute("jobs", status == null ? provisioning.recent(20) : provisioning.recent(200, status));
        return "zoning/provision";
    }

    @PostMapping("/provision")
    String provision(@RequestParam String name, @RequestParam(required = false) Long hostId,
                     @RequestParam(defaultValue = "") String cluster,
                     @RequestParam(name = "arrayIds", required = false) List<Long> arrayIds,
                     @RequestParam(required = false) Long poolId, Principal user) {
        if (arrayIds == null || arrayIds.isEmpty()) {
            throw RuleViolation.invalid("arrayIds", "choose at least one array");
        }
        if (name.isBlank() || name.strip().length() > 64) {
            throw RuleViolation.invalid("name", "must be 1 to 64 characters");
        }
        Provisioning.Job job = provisioning.provision(new Provisioning.ProvisionRequest(name, null, hostId,
                cluster.isBlank() ? null : cluster, Set.copyOf(arrayIds), Set.of(), poolId), user.getName());
        return "redirect:/jobs/" + job.id();
    }

    @PostMapping("/vms/{id}/decommission")
    String decommission(@PathVariable long id, Principal user) {
        return "redirect:/jobs/" + provisioning.decommission(id, user.getName()).id();
    }

    /** The job's steps; refreshed by htmx while it runs. */
    @GetMapping("/jobs/{id}")
    String job(@PathVariable UUID id, @RequestHeader(value = "HX-Request", required = false) String htmx,
               Model model) {
        Provisioning.Job job = provisioning.get(id);
        model.addAttribute("job", job);
        model.addAttribute("vmExists", job.vmId() != null && vms.exists(job.vmId()));
        return htmx != null ? "zoning/job :: progress" : "zoning/job";
    }
}
