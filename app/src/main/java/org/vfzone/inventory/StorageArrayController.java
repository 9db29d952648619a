package org.vfzone.inventory;

import java.util.Map;
import java.util.function.Function;

import jakarta.validation.Valid;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.system.FormErrors;
import org.vfzone.system.PageController;
import org.vfzone.system.Paging;
import org.vfzone.system.RuleViolation;

@PageController
class StorageArrayController {

    private final StorageArrayService arrays;
    private final FabricService fabrics;

    StorageArrayController(StorageArrayService arrays, FabricService fabrics) {
        this.arrays = arrays;
        this.fabrics = fabrics;
    }

    @GetMapping("/arrays")
    String list(@RequestParam(defaultValue = "name,asc") String sort,
                Model model) {
        Map<String, Function<ArrayRow, ? extends Comparable<?>>> columns = Map.of(
                "name", row -> row.array().getName(), "vendor", row -> row.array().getVendor(),
                "model", row -> row.array().getModel(), "serial", row -> row.array().getSerial(),
                "ports", ArrayRow::portCount);
        model.addAttribute("sort", sort);
        model.addAttribute("arrays", arrays.list().stream()
                .map(a -> new ArrayRow(a, arrays.portsOf(a.getId()).size()))
                .sorted(Paging.order(sort, columns)).toList());
        return "arrays/list";
    }

    record ArrayRow(StorageArray array, int portCount) {
    }

    @GetMapping("/arrays/new")
    String createForm(Model model) {
        model.addAttribute("form", StorageArrayForm.empty());
        return "arrays/form";
    }

    @PostMapping("/arrays")
    String create(@Valid @ModelAttribute("form") StorageArrayForm form, BindingResult result,
                  RedirectAttributes flash) {
        if (result.hasErrors()) {
            return "arrays/form";
        }
        try {
            StorageArray array = arrays.create(form);
            flash.addFlashAttribute("message", "Array " + array.getName() + " created");
            return "redirect:/arrays/" + array.getId();
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "arrays/form";
        }
    }

    @GetMapping("/arrays/{id}")
    String show(@PathVariable long id, Model model) {
        prepareDetail(id, model);
        model.addAttribute("portForm", TargetPortForm.empty());
        return "arrays/detail";
    }

    @GetMapping("/arrays/{id}/edit")
    String editForm(@PathVariable long id, Model model) {
        StorageArray array = arrays.get(id);
        model.addAttribute("array", array);
        model.addAttribute("form", StorageArrayForm.of(array));
        return "arrays/form";
    }

    @PostMapping("/arrays/{id}")
    String update(@PathVariable long id, @Valid @ModelAttribute("form") StorageArrayForm form, BindingResult result,
                  Model model, RedirectAttributes flash) {
        model.addAttribute("array", arrays.get(id));
        if (result.hasErrors()) {
            return "arrays/form";
        }
        try {
            arrays.update(id, form);
            flash.addFlashAttribute("message", "Array saved");
            return "redirect:/arrays/" + id;
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "arrays/form";
        }
    }

    @PostMapping("/arrays/{id}/delete")
    String delete(@PathVariable long id, @RequestParam(defaultValue = "false") boolean revokeGrants,
                  RedirectAttributes flash) {
        arrays.delete(id, revokeGrants);
        flash.addFlashAttribute("message", "Array deleted");
        return "redirect:/arrays";
    }

    @PostMapping("/arrays/{id}/ports")
    String addPort(@PathVariable long id, @Valid @ModelAttribute("portForm") TargetPortForm form,
                   BindingResult result, Model model, RedirectAttributes flash) {
        if (!result.hasErrors()) {
            try {
                TargetPort port = arrays.addPort(id, form);
                flash.addFlashAttribute("message", "Target port " + port.getName() + " added");
                return "redirect:/arrays/" + id;
            } catch (RuleViolation e) {
                FormErrors.reject(e, result);
            }
        }
        prepareDetail(id, model);
        return "arrays/detail";
    }

    @PostMapping("/target-ports/{portId}/delete")
    String deletePort(@PathVariable long portId, @RequestParam(defaultValue = "false") boolean acknowledgeGrants,
                      RedirectAttributes flash) {
        TargetPort port = arrays.getPort(portId);
        arrays.deletePort(portId, acknowledgeGrants);
        flash.addFlashAttribute("message", "Target port " + port.getName() + " deleted");
        return "redirect:/arrays/" + port.getArray().getId();
    }

    private void prepareDetail(long id, Model model) {
        model.addAttribute("array", arrays.get(id));
        model.addAttribute("ports", arrays.portsOf(id));
        model.addAttribute("vmsWithAccess", arrays.vmsWithAccess(id));
        model.addAttribute("fabrics", fabrics.list());
    }
}
