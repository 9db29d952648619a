package org.vfzone.inventory;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Sort;
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

/** JSON API of fabrics, hosts, adapters, VFs, storage arrays and target ports. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Inventory", description = "Fabrics, hosts, adapters, storage arrays and target ports")
@RequestMapping("/api")
class InventoryApiController {

    private final FabricService fabrics;
    private final HostService hosts;
    private final StorageArrayService arrays;

    InventoryApiController(FabricService fabrics, HostService hosts, StorageArrayService arrays) {
        this.fabrics = fabrics;
        this.hosts = hosts;
        this.arrays = arrays;
    }

    record FabricDto(long id, String name, String side, String vendor, Integer virtualFabricId,
                     String managementUrl, String managementUsername, String description) {
        static FabricDto of(Fabric f, FabricConnectionStore.Stored connection) {
            return new FabricDto(f.getId(), f.getName(), f.getSide(), f.getVendor().code(), f.getVirtualFabricId(),
                    connection.managementUrl(), connection.managementUsername(), f.getDescription());
        }
    }

    record HostDto(long id, String name, String cluster, Hypervisor hypervisor) {
        static HostDto of(Host h) {
            return new HostDto(h.getId(), h.getName(), h.getCluster(), h.getHypervisor());
        }
    }

    record AdapterDto(long id, long hostId, AdapterKind kind, String vendor, String model, String pciAddress,
                      String wwnn, String wwpn, Long fabricId, int maxVfs, int maxNpivVports) {
        static AdapterDto of(Adapter a) {
            return new AdapterDto(a.getId(), a.getHost().getId(), a.getKind(), a.getVendor(), a.getModel(),
                    a.getPciAddress(), a.getWwnn().toString(), a.getWwpn().toString(),
                    a.getFabric() == null ? null : a.getFabric().getId(), a.getMaxVfs(), a.getMaxNpivVports());
        }
    }

    record VfDto(long id, long adapterId, int vfIndex, String pciAddress, VirtualFunction.VfState state, Long vmId,
                 String vmName) {
        static VfDto of(VirtualFunction vf) {
            return new VfDto(vf.getId(), vf.getAdapter().getId(), vf.getVfIndex(), vf.getPciAddress(), vf.getState(),
                    vf.getVm() == null ? null : vf.getVm().getId(), vf.getVm() == null ? null : vf.getVm().getName());
        }
    }

    record VfCount(@NotNull @Min(0) @Max(256) Integer count) {
    }

    record ArrayDto(long id, String name, String vendor, String model, String serial, List<PortDto> ports) {
    }

    record PortDto(long id, long arrayId, String name, String wwpn, long fabricId) {
        static PortDto of(TargetPort p) {
            return new PortDto(p.getId(), p.getArray().getId(), p.getName(), p.getWwpn().toString(),
                    p.getFabric().getId());
        }
    }

    record PageDto<T>(List<T> items, int page, int size, long total) {
        static <S, T> PageDto<T> of(Page<S> page, Function<S, T> mapper) {
            return new PageDto<>(page.getContent().stream().map(mapper).toList(), page.getNumber(), page.getSize(),
                    page.getTotalElements());
        }
    }

    // Fabrics

    @GetMapping("/fabrics")
    List<FabricDto> fabrics(@RequestParam(defaultValue = "name,asc") String sort) {
        var connections = fabrics.connections();
        return fabrics.list().stream().sorted(FabricService.order(sort)).map(f -> FabricDto.of(f,
                connections.getOrDefault(f.getId(), FabricConnectionStore.Stored.NONE))).toList();
    }

    @GetMapping("/fabrics/{id}")
    FabricDto fabric(@PathVariable long id) {
        Fabric fabric = fabrics.get(id);
        return FabricDto.of(fabric, fabrics.connectionOf(id));
    }

    @PostMapping("/fabrics")
    ResponseEntity<FabricDto> createFabric(@Valid @RequestBody FabricForm form) {
        Fabric fabric = fabrics.create(form);
        return ResponseEntity.created(URI.create("/api/fabrics/" + fabric.getId()))
                .body(FabricDto.of(fabric, fabrics.connectionOf(fabric.getId())));
    }

    @PutMapping("/fabrics/{id}")
    FabricDto updateFabric(@PathVariable long id, @Valid @RequestBody FabricForm form) {
        Fabric fabric = fabrics.update(id, form);
        return FabricDto.of(fabric, fabrics.connectionOf(id));
    }

    @DeleteMapping("/fabrics/{id}")
    ResponseEntity<Void> deleteFabric(@PathVariable long id) {
        fabrics.delete(id);
        return ResponseEntity.noContent().build();
    }

    // Hosts

    @GetMapping("/hosts")
    PageDto<HostDto> hosts(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "0") int page,
                           @RequestParam(defaultValue = "50") int size,
                           @RequestParam(defaultValue = "name,asc") String sort) {
        return PageDto.of(hosts.search(q, Paging.of(page, size, 500, HostService.sort(sort))), HostDto::of);
    }

    @GetMapping("/hosts/{id}")
    HostDto host(@PathVariable long id) {
        return HostDto.of(hosts.get(id));
    }

    @PostMapping("/hosts")
    ResponseEntity<HostDto> createHost(@Valid @RequestBody HostForm form) {
        Host host = hosts.create(form);
        return ResponseEntity.created(URI.create("/api/hosts/" + host.getId())).body(HostDto.of(host));
    }

    @PutMapping("/hosts/{id}")
    HostDto updateHost(@PathVariable long id, @Valid @RequestBody HostForm form) {
        return HostDto.of(hosts.update(id, form));
    }

    @DeleteMapping("/hosts/{id}")
    ResponseEntity<Void> deleteHost(@PathVariable long id) {
        hosts.delete(id);
        return ResponseEntity.noContent().build();
    }

    // Adapters and VFs

    @GetMapping("/hosts/{hostId}/adapters")
    List<AdapterDto> adapters(@PathVariable long hostId) {
        hosts.get(hostId);
        return hosts.adaptersOf(hostId).stream().map(AdapterDto::of).toList();
    }

    @PostMapping("/hosts/{hostId}/adapters")
    ResponseEntity<AdapterDto> createAdapter(@PathVariable long hostId, @Valid @RequestBody AdapterForm form) {
        Adapter adapter = hosts.createAdapter(hostId, form);
        return ResponseEntity.created(URI.create("/api/adapters/" + adapter.getId())).body(AdapterDto.of(adapter));
    }

    @GetMapping("/adapters/{id}")
    AdapterDto adapter(@PathVariable long id) {
        return AdapterDto.of(hosts.getAdapter(id));
    }

    @PutMapping("/adapters/{id}")
    AdapterDto updateAdapter(@PathVariable long id, @Valid @RequestBody AdapterForm form) {
        return AdapterDto.of(hosts.updateAdapter(id, form));
    }

    @DeleteMapping("/adapters/{id}")
    ResponseEntity<Void> deleteAdapter(@PathVariable long id) {
        hosts.deleteAdapter(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/adapters/{id}/vfs")
    List<VfDto> vfs(@PathVariable long id) {
        hosts.getAdapter(id);
        return hosts.vfsOf(id).stream().map(VfDto::of).toList();
    }

    /** Sets how many VFs the adapter has enabled, like writing its sriov_numvfs. */
    @PutMapping("/adapters/{id}/vfs")
    List<VfDto> setVfCount(@PathVariable long id, @Valid @RequestBody VfCount body) {
        return hosts.setVfCount(id, body.count()).stream().map(VfDto::of).toList();
    }

    // Storage arrays and target ports

    @GetMapping("/arrays")
    List<ArrayDto> arrays(@RequestParam(defaultValue = "name,asc") String sort) {
        Comparator<ArrayDto> order = Paging.order(sort, Map.of("name", ArrayDto::name,
                "vendor", ArrayDto::vendor, "model", ArrayDto::model, "serial", ArrayDto::serial,
                "ports", dto -> dto.ports().size()));
        return arrays.list().stream().map(this::arrayDto).sorted(order).toList();
    }

    @GetMapping("/arrays/{id}")
    ArrayDto array(@PathVariable long id) {
        return arrayDto(arrays.get(id));
    }

    @PostMapping("/arrays")
    ResponseEntity<ArrayDto> createArray(@Valid @RequestBody StorageArrayForm form) {
        StorageArray array = arrays.create(form);
        return ResponseEntity.created(URI.create("/api/arrays/" + array.getId())).body(arrayDto(array));
    }

    @PutMapping("/arrays/{id}")
    ArrayDto updateArray(@PathVariable long id, @Valid @RequestBody StorageArrayForm form) {
        return arrayDto(arrays.update(id, form));
    }

    /** Refused (409, naming the VMs) while VMs may reach the array, unless {@code revokeGrants=true}. */
    @DeleteMapping("/arrays/{id}")
    ResponseEntity<Void> deleteArray(@PathVariable long id,
                                     @RequestParam(defaultValue = "false") boolean revokeGrants) {
        arrays.delete(id, revokeGrants);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/arrays/{id}/ports")
    ResponseEntity<PortDto> addPort(@PathVariable long id, @Valid @RequestBody TargetPortForm form) {
        TargetPort port = arrays.addPort(id, form);
        return ResponseEntity.created(URI.create("/api/target-ports/" + port.getId())).body(PortDto.of(port));
    }

    @PutMapping("/target-ports/{id}")
    PortDto updatePort(@PathVariable long id, @Valid @RequestBody TargetPortForm form) {
        return PortDto.of(arrays.updatePort(id, form));
    }

    /** Refused (409, naming the VMs) while VMs may reach its array, unless {@code acknowledgeGrants=true}. */
    @DeleteMapping("/target-ports/{id}")
    ResponseEntity<Void> deletePort(@PathVariable long id,
                                    @RequestParam(defaultValue = "false") boolean acknowledgeGrants) {
        arrays.deletePort(id, acknowledgeGrants);
        return ResponseEntity.noContent().build();
    }

    private ArrayDto arrayDto(StorageArray a) {
        return new ArrayDto(a.getId(), a.getName(), a.getVendor(), a.getModel(), a.getSerial(),
                arrays.portsOf(a.getId()).stream().map(PortDto::of).toList());
    }
}
