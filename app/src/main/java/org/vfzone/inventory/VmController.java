package org.vfzone.inventory;

import java.security.Principal;
import java.util.List;

import jakarta.validation.Valid;
import org.vfzone.inventory.internal.VirtualFunctionRepository;
import org.vfzone.system.FormErrors;
import org.vfzone.system.PageController;
import org.vfzone.system.Paging;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.WwnPoolService;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Pages for VMs: list, detail with identity and paths, the one-click allocation, VF assignment. */
@PageController
class VmController {

    private final VmService vms;
    private final HostService hosts;
    private final InventoryQueries queries;
    private final WwnPoolService pools;
    private final VirtualFunctionRepository vfs;
    private final StorageArrayService arrays;
    private final FabricService fabrics;

    VmController(VmService vms, HostService hosts, InventoryQueries queries, WwnPoolService pools,
                 VirtualFunctionRepository vfs, StorageArrayService arrays, FabricService fabrics) {
        this.fabrics = fabrics;
        this.arrays = arrays;
        this.vms = vms;
        this.hosts = hosts;
        this.queries = queries;
        this.pools = pools;
        this.vfs = vfs;
    }

    @GetMapping("/vms")
    String list(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "false") boolean atRisk,
                @RequestParam(name = "fabric", required = false) Long fabricId,
                @RequestParam(defaultValue = "") String cluster, @RequestParam(defaultValue = "name,asc") String sort,
                @RequestParam(name = "array", required = false) Long arrayId,
                @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                @RequestHeader(value = "HX-Request", required = false) String htmx, Model model) {
        model.addAttribute("q", q);
        model.addAttribute("atRisk", atRisk);
        model.addAttribute("fabricId", fabricId);
        model.addAttribute("cluster", cluster);
        model.addAttribute("sort", sort);
        model.addAttribute("size", Math.max(1, Math.min(size, 200)));
        model.addAttribute("fabrics", fabrics.list());
        model.addAttribute("arrayId", arrayId);
        model.addAttribute("page", queries.vms(new InventoryQueries.VmFilter(q, atRisk, fabricId, null, cluster,
                        arrayId == null ? null : arrays.vmIdsWithAccess(arrayId, "array")),
                Paging.of(page, size, 200, Paging.sort(sort))));
        model.addAttribute("pools", pools.list());
        model.addAttribute("arrays", arrays.list());
        return htmx != null ? "vms/list :: results" : "vms/list";
    }

    @GetMapping("/vms/new")
    String createForm(@RequestParam(required = false) Long hostId, Model model) {
        model.addAttribute("hosts", hosts.all());
        model.addAttribute("form", new VmForm("", "", hostId, ""));
        return "vms/form";
    }

    @PostMapping("/vms")
    String create(@Valid @ModelAttribute("form") VmForm form, BindingResult result, Model model,
                  RedirectAttributes flash) {
        model.addAttribute("hosts", hosts.all());
        if (result.hasErrors()) {
            return "vms/form";
        }
        try {
            Vm vm = vms.create(form);
            flash.addFlashAttribute("message", "VM " + vm.getName() + " created");
            return "redirect:/vms/" + vm.getId();
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "vms/form";
        }
    }

    @GetMapping("/vms/{id}")
    String show(@PathVariable long id, Model model) {
        Vm vm = vms.get(id);
        model.addAttribute("vm", vm);
        model.addAttribute("paths", vms.paths(id));
        model.addAttribute("pools", pools.list());
        model.addAttribute("freeVfs", vfs.findFreeOnHost(vm.getHost().getId()));
        return "vms/detail";
    }

    @GetMapping("/vms/{id}/edit")
    String editForm(@PathVariable long id, Model model) {
        Vm vm = vms.get(id);
        model.addAttribute("vm", vm);
        model.addAttribute("hosts", hosts.all());
        model.addAttribute("form", VmForm.of(vm));
        return "vms/form";
    }

    @PostMapping("/vms/{id}")
    String update(@PathVariable long id, @Valid @ModelAttribute("form") VmForm form, BindingResult result,
                  Model model, RedirectAttributes flash) {
        model.addAttribute("vm", vms.get(id));
        model.addAttribute("hosts", hosts.all());
        if (result.hasErrors()) {
            return "vms/form";
        }
        try {
            vms.update(id, form);
            flash.addFlashAttribute("message", "VM saved");
            return "redirect:/vms/" + id;
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "vms/form";
        }
    }

    @PostMapping("/vms/{id}/delete")
    String delete(@PathVariable long id, Principal user, RedirectAttributes flash) {
        vms.delete(id, user.getName());
        flash.addFlashAttribute("message", "VM deleted; its WWNs are in quarantine");
        return "redirect:/vms";
    }

    @PostMapping("/vms/{id}/identity")
    String allocate(@PathVariable long id, @RequestParam(required = false) Long poolId, Principal user,
                    RedirectAttributes flash) {
        if (poolId == null) {
            flash.addFlashAttribute("error", "Choose a WWN pool first");
            return "redirect:/vms/" + id;
        }
        List<String> done = vms.allocateIdentityAndAssignVfs(id, poolId, user.getName());
        flash.addFlashAttribute("message", done.isEmpty() ? "Nothing to do: identity and VFs are complete"
                : "Allocated: " + String.join("; ", done));
        return "redirect:/vms/" + id;
    }

    @PostMapping("/vms/{id}/identity/{fabricId}/release")
    String releaseIdentity(@PathVariable long id, @PathVariable long fabricId, Principal user,
                           RedirectAttributes flash) {
        vms.releaseIdentity(id, fabricId, user.getName());
        flash.addFlashAttribute("message", "WWPN pair released to quarantine");
        return "redirect:/vms/" + id;
    }

    @PostMapping("/vms/{id}/vfs")
    String assignVf(@PathVariable long id, @RequestParam(required = false) Long vfId, RedirectAttributes flash) {
        if (vfId == null) {
            flash.addFlashAttribute("error", "Choose a VF first");
            return "redirect:/vms/" + id;
        }
        VirtualFunction vf = vms.assignVf(id, vfId);
        flash.addFlashAttribute("message", "VF " + vf.getPciAddress() + " assigned");
        return "redirect:/vms/" + id;
    }

    @PostMapping("/vms/{id}/vfs/{vfId}/unassign")
    String unassignVf(@PathVariable long id, @PathVariable long vfId, RedirectAttributes flash) {
        vms.unassignVf(id, vfId);
        flash.addFlashAttribute("message", "VF unassigned");
        return "redirect:/vms/" + id;
    }
}
