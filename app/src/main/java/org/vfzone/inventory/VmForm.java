package org.vfzone.inventory;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** @param uuid the hypervisor's VM UUID; left blank, vfzone generates one */
public record VmForm(
        @NotBlank @Size(max = 128) String name,
        @Pattern(regexp = "^$|^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                message = "must be a UUID like 4213a0c1-7d2e-4f5a-9b1c-0e2d3f4a5b6c") String uuid,
        @NotNull Long hostId,
        @Size(max = 128) String cluster) {

    public static VmForm empty() {
        return new VmForm("", "", null, "");
    }

    public static VmForm of(Vm vm) {
        return new VmForm(vm.getName(), vm.getUuid().toString(), vm.getHost().getId(), vm.getCluster());
    }
}
