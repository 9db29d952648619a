package org.vfzone.wwn;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.vfzone.system.Paging;
import org.vfzone.wwn.internal.WwnAllocationRepository;

/** JSON API of WWN pools, their allocation history, and "where is this WWN used?". */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "WWN pools", description = "WWN pools, allocation history and where a WWN is used")
@RequestMapping("/api")
class WwnApiController {

    private final WwnPoolService pools;
    private final WwnAllocationRepository allocations;
    private final WwnRegistry registry;
    private final Clock clock;

    WwnApiController(WwnPoolService pools, WwnAllocationRepository allocations, WwnRegistry registry,
                      Clock clock) {
        this.clock = clock;
        this.pools = pools;
        this.allocations = allocations;
        this.registry = registry;
    }

    record PoolDto(long id, String name, int naaType, String firstWwn, String lastWwn, String oui, String description,
                   long size, long allocated, long quarantined, long free) {
    }

    record AllocationDto(long id, String wwn, WwnPurpose purpose, Long vmId, String vmName, String fabricName,
                         Instant allocatedAt, String allocatedBy, Instant releasedAt, String releasedBy,
                         Instant reusableAfter) {
        static AllocationDto of(WwnAllocation a) {
            return new AllocationDto(a.getId(), a.getWwn().toString(), a.getPurpose(), a.getVmId(), a.getVmName(),
                    a.getFabricName(), a.getAllocatedAt(), a.getAllocatedBy(), a.getReleasedAt(), a.getReleasedBy(),
                    a.getReusableAfter());
        }
    }

    /**
     * Where a WWN is used; {@code quarantine} is its last allocation when it was released and may not be handed out
     * again before {@code reusableAfter} (it may still be zoned on a fabric).
     */
    record WwnLookup(String wwn, int naaType, String oui, boolean inUse, String usedAs, AllocationDto liveAllocation,
                     AllocationDto quarantine) {
    }

    @GetMapping("/wwn-pools")
    List<PoolDto> list(@RequestParam(defaultValue = "name,asc") String sort) {
        return pools.list().stream().map(this::dto).sorted(Paging.order(sort, Map.of(
                "name", PoolDto::name, "first", PoolDto::firstWwn, "size", PoolDto::size, "free", PoolDto::free)))
                .toList();
    }

    @GetMapping("/wwn-pools/{id}")
    PoolDto get(@PathVariable long id) {
        return dto(pools.get(id));
    }

    @PostMapping("/wwn-pools")
    ResponseEntity<PoolDto> create(@Valid @RequestBody WwnPoolForm form) {
        WwnPool pool = pools.create(form);
        return ResponseEntity.created(URI.create("/api/wwn-pools/" + pool.getId())).body(dto(pool));
    }

    @PutMapping("/wwn-pools/{id}")
    PoolDto update(@PathVariable long id, @Valid @RequestBody WwnPoolForm form) {
        return dto(pools.update(id, form));
    }

    @DeleteMapping("/wwn-pools/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        pools.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/wwn-pools/{id}/allocations")
    List<AllocationDto> allocations(@PathVariable long id, @RequestParam(defaultValue = "0") int page,
                                    @RequestParam(defaultValue = "100") int size) {
        pools.get(id);
        return allocations.findByPoolIdOrderByAllocatedAtDescIdDesc(id,
                Paging.of(page, size, 1000)).map(AllocationDto::of).getContent();
    }

    /** Where a WWN (in any accepted notation) is used, and whether a pool has it allocated. */
    @GetMapping("/wwns/{wwn}")
    WwnLookup lookup(@PathVariable String wwn) {
        Wwn parsed = WwnFields.parse(wwn, "wwn");
        var usage = registry.findUsage(parsed);
        return new WwnLookup(parsed.toString(), parsed.naaType(), parsed.oui().orElse(null), usage.isPresent(),
                usage.map(WwnUsage::description).orElse(null),
                allocations.findLive(parsed).map(AllocationDto::of).orElse(null),
                allocations.findQuarantined(parsed, clock.instant()).map(AllocationDto::of).orElse(null));
    }

    private PoolDto dto(WwnPool pool) {
        WwnPoolService.PoolUsage usage = pools.usage(pool);
        return new PoolDto(pool.getId(), pool.getName(), pool.getNaaType(), pool.getFirstWwn().toString(),
                pool.getLastWwn().toString(), pool.getOui(), pool.getDescription(), usage.size(), usage.allocated(),
                usage.quarantined(), usage.free());
    }
}
