package org.vfzone.vcenter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.system.FormErrors;
import org.vfzone.system.PageController;
import org.vfzone.system.RuleViolation;

/** The vCenters page: connections with their last poll, add, edit, remove, test, read now; a VM's vCenter line. */
@PageController
class VcenterController {

    private final VcenterConnections connections;
    private final VcenterPoller poller;
    private final VcenterQueries queries;

    VcenterController(VcenterConnections connections, VcenterPoller poller, VcenterQueries queries) {
        this.connections = connections;
        this.poller = poller;
        this.queries = queries;
    }

    @GetMapping("/vcenters")
    String list(Model model) {
        List<VcenterConnections.View> vcenters = connections.list();
        Map<Long, VcenterQueries.Status> statuses = new LinkedHashMap<>();
        for (VcenterConnections.View vcenter : vcenters) {
            queries.status(vcenter.id()).ifPresent(status -> statuses.put(vcenter.id(), status));
        }
        model.addAttribute("vcenters", vcenters);
        model.addAttribute("statuses", statuses);
        return "vcenters/list";
    }

    @GetMapping("/vcenters/new")
    String newForm(Model model) {
        model.addAttribute("form", VcenterForm.empty());
        return "vcenters/form";
    }

    @PostMapping("/vcenters")
    String create(@Valid @ModelAttribute("form") VcenterForm form, BindingResult result, RedirectAttributes flash) {
        if (result.hasErrors()) {
            return "vcenters/form";
        }
        try {
            VcenterConnections.View saved = connections.create(form);
            flash.addFlashAttribute("message", "vCenter " + saved.name() + " added; vfzone reads it every minute.");
            return "redirect:/vcenters";
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "vcenters/form";
        }
    }

    @GetMapping("/vcenters/{id}/edit")
    String edit(@PathVariable long id, Model model) {
        VcenterConnections.View vcenter = connections.get(id);
        model.addAttribute("vcenter", vcenter);
        model.addAttribute("form", new VcenterForm(vcenter.name(), vcenter.sdkUrl(), vcenter.username(), "",
                vcenter.tlsCertificateSha256()));
        return "vcenters/form";
    }

    @PostMapping("/vcenters/{id}")
    String update(@PathVariable long id, @Valid @ModelAttribute("form") VcenterForm form, BindingResult result,
                  Model model, RedirectAttributes flash) {
        model.addAttribute("vcenter", connections.get(id));
        if (result.hasErrors()) {
            return "vcenters/form";
        }
        try {
            VcenterConnections.View saved = connections.update(id, form);
            flash.addFlashAttribute("message", "vCenter " + saved.name() + " saved"
                    + (saved.passwordStored() ? "." : ": enter its password, the stored one went with the old address."));
            return "redirect:/vcenters";
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "vcenters/form";
        }
    }

    @PostMapping("/vcenters/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes flash) {
        String name = connections.get(id).name();
        connections.delete(id);
        flash.addFlashAttribute("message", "vCenter " + name + " removed; the samples already stored stay.");
        return "redirect:/vcenters";
    }

    @PostMapping("/vcenters/{id}/test")
    String test(@PathVariable long id, Model model) {
        model.addAttribute("result", poller.test(id));
        return "vcenters/list :: testResult";
    }

    @PostMapping("/vcenters/{id}/poll")
    String poll(@PathVariable long id, RedirectAttributes flash) {
        VcenterPoller.Result result = poller.poll(id);
        flash.addFlashAttribute("message", "OK".equals(result.status())
                ? "vCenter read: " + result.vms() + " VMs, " + result.matched() + " of them vfzone's, " + result.samples()
                + " samples stored." : "vCenter poll failed: " + result.message());
        return "redirect:/vcenters";
    }

    /** The VM traffic page's vCenter line (htmx): which vCenter reports the VM, and since when it has no data. */
    @GetMapping("/vms/{id}/vcenter")
    String ofVm(@PathVariable long id, Model model) {
        model.addAttribute("reports", queries.ofVm(id));
        return "vcenters/vm :: panel";
    }
}
