package org.vfzone.inventory;

import java.util.List;

import jakarta.validation.Valid;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.inventory.internal.AdapterRepository;
import org.vfzone.inventory.internal.TargetPortRepository;
import org.vfzone.inventory.internal.VmFabricIdentityRepository;
import org.vfzone.system.FormErrors;
import org.vfzone.system.PageController;
import org.vfzone.system.RuleViolation;

@PageController
@RequestMapping("/fabrics")
class FabricController {

    private final FabricService fabrics;
    private final AdapterRepository adapters;
    private final TargetPortRepository targetPorts;
    private final VmFabricIdentityRepository identities;

    FabricController(FabricService fabrics, AdapterRepository adapters, TargetPortRepository targetPorts,
                     VmFabricIdentityRepository identities) {
        this.fabrics = fabrics;
        this.adapters = adapters;
        this.targetPorts = targetPorts;
        this.identities = identities;
    }

    @ModelAttribute("vendors")
    List<FabricVendor> vendors() {
        return fabrics.selectableVendors();
    }

    @ModelAttribute("policies")
    ZoningPolicy[] policies() {
        return ZoningPolicy.values();
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "name,asc") String sort,
                Model model) {
        model.addAttribute("sort", sort);
        model.addAttribute("fabrics", fabrics.list().stream().sorted(FabricService.order(sort)).toList());
        model.addAttribute("connections", fabrics.connections());
        return "fabrics/list";
    }

    @GetMapping("/new")
    String createForm(Model model) {
        model.addAttribute("form", FabricForm.empty());
        return "fabrics/form";
    }

    @PostMapping
    String create(@Valid @ModelAttribute("form") FabricForm form, BindingResult result, RedirectAttributes flash) {
        if (result.hasErrors()) {
            return "fabrics/form";
        }
        try {
            Fabric fabric = fabrics.create(form);
            flash.addFlashAttribute("message", "Fabric " + fabric.getName() + " created");
            return "redirect:/fabrics/" + fabric.getId();
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "fabrics/form";
        }
    }

    @GetMapping("/{id}")
    String show(@PathVariable long id, Model model) {
        model.addAttribute("fabric", fabrics.get(id));
        model.addAttribute("connection", fabrics.connectionOf(id));
        model.addAttribute("adapterCount", adapters.countByFabricId(id));
        model.addAttribute("targetPortCount", targetPorts.countByFabricId(id));
        model.addAttribute("identityCount", identities.countByFabricId(id));
        return "fabrics/detail";
    }

    @GetMapping("/{id}/edit")
    String editForm(@PathVariable long id, Model model) {
        model.addAttribute("fabric", fabrics.get(id));
        model.addAttribute("form", fabrics.formOf(fabrics.get(id)));
        return "fabrics/form";
    }

    @PostMapping("/{id}")
    String update(@PathVariable long id, @Valid @ModelAttribute("form") FabricForm form, BindingResult result,
                  Model model, RedirectAttributes flash) {
        model.addAttribute("fabric", fabrics.get(id));
        model.addAttribute("connection", fabrics.connectionOf(id));
        if (result.hasErrors()) {
            return "fabrics/form";
        }
        try {
            fabrics.update(id, form);
            flash.addFlashAttribute("message", "Fabric saved");
            return "redirect:/fabrics/" + id;
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "fabrics/form";
        }
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes flash) {
        fabrics.delete(id);
        flash.addFlashAttribute("message", "Fabric deleted");
        return "redirect:/fabrics";
    }
}
