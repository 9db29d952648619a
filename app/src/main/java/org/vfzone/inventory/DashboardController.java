package org.vfzone.inventory;

import java.util.List;

import org.springframework.data.domain.PageRequest;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.vfzone.system.PageController;
import org.vfzone.system.Todo;
import org.vfzone.wwn.WwnPool;
import org.vfzone.wwn.WwnPoolService;

@PageController
class DashboardController {

    private final InventoryQueries queries;
    private final WwnPoolService pools;

    private final Todo todo;

    DashboardController(InventoryQueries queries, WwnPoolService pools, Todo todo) {
        this.todo = todo;
        this.queries = queries;
        this.pools = pools;
    }

    record PoolRow(WwnPool pool, WwnPoolService.PoolUsage usage) {
    }

    @GetMapping("/")
    String dashboard(Model model) {
        model.addAttribute("counts", queries.counts());
        model.addAttribute("todo", todo.items());
        model.addAttribute("atRisk", queries.vms("", true, PageRequest.of(0, 10)));
        model.addAttribute("hostVfs", queries.vfUsagePerHost(10));
        List<PoolRow> poolRows = pools.list().stream().map(p -> new PoolRow(p, pools.usage(p))).toList();
        model.addAttribute("pools", poolRows);
        return "dashboard";
    }
}
