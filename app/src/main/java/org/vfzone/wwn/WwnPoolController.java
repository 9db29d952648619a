package org.vfzone.wwn;

import java.time.Clock;
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
import org.vfzone.wwn.internal.WwnAllocationRepository;

/** Pages for WWN pools and for looking up where a WWN is used. */
@PageController
class WwnPoolController {

    private final WwnPoolService pools;
    private final WwnAllocationRepository allocations;
    private final WwnRegistry registry;
    private final Clock clock;

    WwnPoolController(WwnPoolService pools, WwnAllocationRepository allocations, WwnRegistry registry,
                      Clock clock) {
        this.clock = clock;
        this.pools = pools;
        this.allocations = allocations;
        this.registry = registry;
    }

    record PoolRow(WwnPool pool, WwnPoolService.PoolUsage usage) {
    }

    @GetMapping("/pools")
    String list(@RequestParam(defaultValue = "name,asc") String sort,
                Model model) {
        Map<String, Function<PoolRow, ? extends Comparable<?>>> columns = Map.of(
                "name", row -> row.pool().getName(), "first", row -> row.pool().getFirstWwn().value(),
                "size", row -> row.pool().getSize(), "free", row -> row.usage().free());
        model.addAttribute("sort", sort);
        model.addAttribute("pools", pools.list().stream().map(p -> new PoolRow(p, pools.usage(p)))
                .sorted(Paging.order(sort, columns)).toList());
        return "pools/list";
    }

    @GetMapping("/pools/new")
    String createForm(Model model) {
        model.addAttribute("form", WwnPoolForm.empty());
        return "pools/form";
    }

    @PostMapping("/pools")
    String create(@Valid @ModelAttribute("form") WwnPoolForm form, BindingResult result, RedirectAttributes flash) {
        if (result.hasErrors()) {
            return "pools/form";
        }
        try {
            WwnPool pool = pools.create(form);
            flash.addFlashAttribute("message", "Pool " + pool.getName() + " created");
            return "redirect:/pools/" + pool.getId();
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "pools/form";
        }
    }

    @GetMapping("/pools/{id}")
    String show(@PathVariable long id, @RequestParam(defaultValue = "0") int page, Model model) {
        WwnPool pool = pools.get(id);
        model.addAttribute("pool", pool);
        model.addAttribute("usage", pools.usage(pool));
        model.addAttribute("allocations", allocations.findByPoolIdOrderByAllocatedAtDescIdDesc(id,
                Paging.of(page, 50, 50)));
        return "pools/detail";
    }

    @GetMapping("/pools/{id}/edit")
    String editForm(@PathVariable long id, Model model) {
        WwnPool pool = pools.get(id);
        model.addAttribute("pool", pool);
        model.addAttribute("form", WwnPoolForm.of(pool));
        return "pools/form";
    }

    @PostMapping("/pools/{id}")
    String update(@PathVariable long id, @Valid @ModelAttribute("form") WwnPoolForm form, BindingResult result,
                  Model model, RedirectAttributes flash) {
        model.addAttribute("pool", pools.get(id));
        if (result.hasErrors()) {
            return "pools/form";
        }
        try {
            pools.update(id, form);
            flash.addFlashAttribute("message", "Pool saved");
            return "redirect:/pools/" + id;
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return "pools/form";
        }
    }

    @PostMapping("/pools/{id}/delete")
    String delete(@PathVariable long id, RedirectAttributes flash) {
        pools.delete(id);
        flash.addFlashAttribute("message", "Pool deleted");
        return "redirect:/pools";
    }

    @GetMapping("/wwns")
    String lookup(@RequestParam(defaultValue = "") String wwn, Model model) {
        model.addAttribute("wwn", wwn);
        if (!wwn.isBlank()) {
            try {
                Wwn parsed = Wwn.parse(wwn);
                model.addAttribute("parsed", parsed);
                model.addAttribute("usage", registry.findUsage(parsed).orElse(null));
                model.addAttribute("allocation", allocations.findLive(parsed).orElse(null));
                model.addAttribute("quarantine", allocations.findQuarantined(parsed, clock.instant()).orElse(null));
            } catch (WwnFormatException e) {
                model.addAttribute("error", "Not a valid WWN: " + e.getMessage());
            }
        }
        return "pools/lookup";
    }
}
