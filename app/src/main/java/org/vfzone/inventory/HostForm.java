package org.vfzone.inventory;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record HostForm(
        @NotBlank @Size(max = 128) String name,
        @Size(max = 128) String cluster,
        @NotNull Hypervisor hypervisor) {

    public static HostForm empty() {
        return new HostForm("", "", Hypervisor.ESXI);
    }

    public static HostForm of(Host h) {
        return new HostForm(h.getName(), h.getCluster(), h.getHypervisor());
    }
}
