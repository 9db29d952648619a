package org.vfzone.inventory;

import java.util.List;

import jakarta.validation.Valid;
import org.springframework.data.domain.Sort;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.system.FormErrors;
import org.vfzone.system.PageController;
import org.vfzone.system.Paging;
import org.vfzone.system.RuleViolation;

/** Pages for hosts, their adapters and the adapters' VFs. */
@PageController
class HostController {

    private final HostService hosts;
    private final FabricService fabrics;
    private final InventoryQueries queries;

    HostController(HostService hosts, FabricService fabrics, InventoryQueries queries) {
        this.hosts = hosts;
        this.fabrics = fabrics;
        this.queries = queries;
    }

    @ModelAttribute("hypervisors")
    Hypervisor[] hypervisors() {
        return Hypervisor.values();
    }

    @GetMapping("/hosts")
    String list(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "0") int page,
                @RequestParam(defaultValue = "50") int size, @RequestParam(defaultValue = "name,asc") String sort,
                @RequestHeader(value = "HX-Request", required = false) String htmx, Model model) {
        model.addAttribute("q", q);
        model.addAttribute("sort", sort);
        model.addAttribute("size", Math.max(1, Math.min(size, 200)));
        model.addAttribute("page", hosts.search(q, Paging.of(page, size, 200, HostService.sort(sort))));
        return htmx != null ? "hosts/list :: results" : "hosts/list";
    }

    @GetMapping("/hosts/new")
    String createForm(Model model) {
        model.addAttribute("form", HostForm.empty());
        return "hosts/form";
    }

    @PostMapping("/hosts")
    String create(@Valid @ModelAttribute("form") HostForm form, BindingResult result, RedirectAttributes flash) {
        if (result.hasErrors()) {
            return "hosts/form";
        }
        try {
            Host host = hosts.create(form);
            flash.addFlashAttribute("message", "Host " + host.getName() + " created");
            return "redirect:/hosts/" + host.getId();
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "hosts/form";
        }
    }

    @GetMapping("/hosts/{id}")
    String show(@PathVariable long id, Model model) {
        model.addAttribute("host", hosts.get(id));
        model.addAttribute("adapters", hosts.adaptersOf(id).stream()
                .map(a -> new AdapterRow(a, hosts.vfsOf(a.getId()))).toList());
        model.addAttribute("vms", queries.vmsOnHost(id));
        return "hosts/detail";
    }

    record AdapterRow(Adapter adapter, List<VirtualFunction> vfs) {
        public long free() {
            return vfs.stream().filter(vf -> vf.getVm() == null).count();
        }
    }

    @GetMapping("/hosts/{id}/edit")
    String editForm(@PathVariable long id, Model model) {
        Host host = hosts.get(id);
        model.addAttribute("host", host);
        model.addAttribute("form", HostForm.of(host));
        return "hosts/form";
    }

    @PostMapping("/hosts/{id}")
    String update(@PathVariable long id, @Valid @ModelAttribute("form") HostForm form, BindingResult result,
                  Model model, RedirectAttributes flash) {
        model.addAttribute("host", hosts.get(id));
        if (result.hasErrors()) {
            return "hosts/form";
        }
        try {
            hosts.update(id, form);
            flash.addFlashAttribute("message", "Host saved");
            return "redirect:/hosts/" + id;
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "hosts/form";
        }
    }

    @PostMapping("/hosts/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes flash) {
        hosts.delete(id);
        flash.addFlashAttribute("message", "Host deleted");
        return "redirect:/hosts";
    }

    // Adapters

    @GetMapping("/hosts/{hostId}/adapters/new")
    String newAdapter(@PathVariable long hostId, Model model) {
        model.addAttribute("host", hosts.get(hostId));
        model.addAttribute("fabrics", fabrics.list());
        model.addAttribute("form", AdapterForm.empty());
        return "adapters/form";
    }

    @PostMapping("/hosts/{hostId}/adapters")
    String createAdapter(@PathVariable long hostId, @Valid @ModelAttribute("form") AdapterForm form,
                         BindingResult result, Model model, RedirectAttributes flash) {
        model.addAttribute("host", hosts.get(hostId));
        model.addAttribute("fabrics", fabrics.list());
        if (result.hasErrors()) {
            return "adapters/form";
        }
        try {
            Adapter adapter = hosts.createAdapter(hostId, form);
            flash.addFlashAttribute("message", "Adapter " + adapter.getLabel() + " added");
            return "redirect:/adapters/" + adapter.getId();
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "adapters/form";
        }
    }

    @GetMapping("/adapters/{id}")
    String showAdapter(@PathVariable long id, Model model) {
        Adapter adapter = hosts.getAdapter(id);
        model.addAttribute("adapter", adapter);
        model.addAttribute("vfs", hosts.vfsOf(id));
        return "adapters/detail";
    }

    @GetMapping("/adapters/{id}/edit")
    String editAdapter(@PathVariable long id, Model model) {
        Adapter adapter = hosts.getAdapter(id);
        model.addAttribute("adapter", adapter);
        model.addAttribute("host", adapter.getHost());
        model.addAttribute("fabrics", fabrics.list());
        model.addAttribute("form", AdapterForm.of(adapter));
        return "adapters/form";
    }

    @PostMapping("/adapters/{id}")
    String updateAdapter(@PathVariable long id, @Valid @ModelAttribute("form") AdapterForm form,
                         BindingResult result, Model model, RedirectAttributes flash) {
        Adapter adapter = hosts.getAdapter(id);
        model.addAttribute("adapter", adapter);
        model.addAttribute("host", adapter.getHost());
        model.addAttribute("fabrics", fabrics.list());
        if (result.hasErrors()) {
            return "adapters/form";
        }
        try {
            hosts.updateAdapter(id, form);
            flash.addFlashAttribute("message", "Adapter saved");
            return "redirect:/adapters/" + id;
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "adapters/form";
        }
    }

    @PostMapping("/adapters/{id}/delete")
    String deleteAdapter(@PathVariable long id, RedirectAttributes flash) {
        Adapter adapter = hosts.getAdapter(id);
        hosts.deleteAdapter(id);
        flash.addFlashAttribute("message", "Adapter deleted");
        return "redirect:/hosts/" + adapter.getHost().getId();
    }

    @PostMapping("/adapters/{id}/vfs")
    String setVfCount(@PathVariable long id, @RequestParam(defaultValue = "-1") int count, RedirectAttributes flash) {
        int enabled = hosts.setVfCount(id, count).size();
        flash.addFlashAttribute("message", enabled + " VFs enabled");
        return "redirect:/adapters/" + id;
    }
}
