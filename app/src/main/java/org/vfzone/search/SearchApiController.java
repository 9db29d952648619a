package org.vfzone.search;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** One search over everything: typed results with links. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Search", description = "Names, WWNs in any notation, zones and change sets")
class SearchApiController {

    private final GlobalSearch search;

    SearchApiController(GlobalSearch search) {
        this.search = search;
    }

    @GetMapping("/api/search")
    List<GlobalSearch.Result> search(@RequestParam(defaultValue = "") String q) {
        return search.search(q);
    }
}
