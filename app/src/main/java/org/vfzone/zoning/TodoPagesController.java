package org.vfzone.zoning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.vfzone.system.PageController;

/** The to-do list's own pages: grants that have no zone yet, per fabric, each fabric with a scoped plan. */
@PageController
class TodoPagesController {

    private final ZoningTodo todo;

    TodoPagesController(ZoningTodo todo) {
        this.todo = todo;
    }

    @GetMapping("/zoning/unzoned")
    String unzoned(Model model) {
        Map<String, List<ZoningTodo.UnzonedGrant>> byFabric = new LinkedHashMap<>();
        for (ZoningTodo.UnzonedGrant grant : todo.unzonedGrants()) {
            byFabric.computeIfAbsent(grant.fabricName(), f -> new ArrayList<>()).add(grant);
        }
        model.addAttribute("byFabric", byFabric);
        return "zoning/unzoned";
    }
}
