package org.vfzone.inventory;

import java.net.URI;
import java.security.Principal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.vfzone.system.Paging;
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

/** JSON API of VMs, their NPIV identity and VF assignments. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "VMs", description = "VMs, their NPIV identity and VFs")
@RequestMapping("/api/vms")
class VmApiController {

    private final VmService vms;
    private final InventoryQueries queries;

    private final StorageArrayService arrays;

    VmApiController(VmService vms, InventoryQueries queries, StorageArrayService arrays) {
        this.arrays = arrays;
        this.vms = vms;
        this.queries = queries;
    }

    record VmSummary(long id, String name, String uuid, long hostId, String hostName, String cluster, String wwnn,
                     int fabricsWithPath, boolean singleFabricOnly) {
    }

    record VmDetail(long id, String name, String uuid, long hostId, String hostName, String cluster, String wwnn,
                    List<FabricPathDto> fabrics, List<String> warnings) {
    }

    record FabricPathDto(long fabricId, String fabricName, String side, String activeWwpn, String standbyWwpn,
                         List<InventoryApiController.VfDto> vfs, long freeVfsOnHost, boolean usable) {
    }

    record AllocateRequest(@NotNull Long poolId) {
    }

    record AllocateResult(List<String> actions, VmDetail vm) {
    }

    record AssignRequest(@NotNull Long vfId) {
    }

    @GetMapping
    InventoryApiController.PageDto<VmSummary> list(@RequestParam(defaultValue = "") String q,
                                                   @RequestParam(defaultValue = "false") boolean withoutDualPaths,
                                                   @RequestParam(name = "fabric", required = false) Long fabricId,
                                                   @RequestParam(name = "host", required = false) Long hostId,
                                                   @RequestParam(required = false) String cluster,
                                                   @RequestParam(name = "array", required = false) Long arrayId,
                                                   @RequestParam(defaultValue = "name,asc") String sort,
                                                   @RequestParam(defaultValue = "0") int page,
                                                   @RequestParam(defaultValue = "50") int size) {
        return InventoryApiController.PageDto.of(
                queries.vms(new InventoryQueries.VmFilter(q, withoutDualPaths, fabricId, hostId, cluster,
                                arrayId == null ? null : arrays.vmIdsWithAccess(arrayId, "array")),
                        Paging.of(page, size, 500, Paging.sort(sort))),
                row -> new VmSummary(row.id(), row.name(), row.uuid(), row.hostId(), row.hostName(), row.cluster(),
                        row.wwnn(), row.pathFabrics(), row.singleFabricOnly()));
    }

    @GetMapping("/{id}")
    VmDetail get(@PathVariable long id) {
        return detail(id);
    }

    @PostMapping
    ResponseEntity<VmDetail> create(@Valid @RequestBody VmForm form) {
        Vm vm = vms.create(form);
        return ResponseEntity.created(URI.create("/api/vms/" + vm.getId())).body(detail(vm.getId()));
    }

    @PutMapping("/{id}")
    VmDetail update(@PathVariable long id, @Valid @RequestBody VmForm form) {
        vms.update(id, form);
        return detail(id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id, Principal user) {
        vms.delete(id, user.getName());
        return ResponseEntity.noContent().build();
    }

    /** Allocates the VM's WWNN and a WWPN pair per reachable fabric, and assigns a VF on each. */
    @PostMapping("/{id}/identity")
    AllocateResult allocate(@PathVariable long id, @Valid @RequestBody AllocateRequest request, Principal user) {
        List<String> actions = vms.allocateIdentityAndAssignVfs(id, request.poolId(), user.getName());
        return new AllocateResult(actions, detail(id));
    }

    @DeleteMapping("/{id}/identity/{fabricId}")
    VmDetail releaseIdentity(@PathVariable long id, @PathVariable long fabricId, Principal user) {
        vms.releaseIdentity(id, fabricId, user.getName());
        return detail(id);
    }

    @PostMapping("/{id}/vfs")
    VmDetail assignVf(@PathVariable long id, @Valid @RequestBody AssignRequest request) {
        vms.assignVf(id, request.vfId());
        return detail(id);
    }

    @DeleteMapping("/{id}/vfs/{vfId}")
    VmDetail unassignVf(@PathVariable long id, @PathVariable long vfId) {
        vms.unassignVf(id, vfId);
        return detail(id);
    }

    private VmDetail detail(long id) {
        Vm vm = vms.get(id);
        VmPaths paths = vms.paths(id);
        List<FabricPathDto> fabrics = paths.fabrics().stream().map(p -> new FabricPathDto(p.fabric().getId(),
                p.fabric().getName(), p.fabric().getSide(),
                p.identity() == null ? null : p.identity().getActiveWwpn().toString(),
                p.identity() == null ? null : p.identity().getStandbyWwpn().toString(),
                p.vfs().stream().map(InventoryApiController.VfDto::of).toList(), p.freeVfsOnHost(), p.usable()))
                .toList();
        List<String> warnings = paths.singleFabricOnly()
                ? List.of("VM has a usable path on " + paths.usableFabricCount()
                        + " fabric(s): no multipath, one fabric outage cuts its storage access")
                : List.of();
        return new VmDetail(vm.getId(), vm.getName(), vm.getUuid().toString(), vm.getHost().getId(),
                vm.getHost().getName(), vm.getCluster(), vm.getWwnn() == null ? null : vm.getWwnn().toString(),
                fabrics, warnings);
    }
}
