package org.vfzone.inventory;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.vfzone.wwn.ValidWwn;

public record AdapterForm(
        @NotNull AdapterKind kind,
        @NotBlank @Size(max = 64) String vendor,
        @NotBlank @Size(max = 64) String model,
        @NotBlank @Pattern(regexp = "^(?i)[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$",
                message = "must be a PCI address like 0000:3b:00.0") String pciAddress,
        @NotBlank @ValidWwn String wwnn,
        @NotBlank @ValidWwn String wwpn,
        Long fabricId,
        @NotNull @Min(0) @Max(256) Integer maxVfs,
        @NotNull @Min(0) @Max(1024) Integer maxNpivVports) {

    public static AdapterForm empty() {
        return new AdapterForm(AdapterKind.HBA, "", "", "", "", "", null, 64, 255);
    }

    public static AdapterForm of(Adapter a) {
        return new AdapterForm(a.getKind(), a.getVendor(), a.getModel(), a.getPciAddress(), a.getWwnn().toString(),
                a.getWwpn().toString(), a.getFabric() == null ? null : a.getFabric().getId(), a.getMaxVfs(),
                a.getMaxNpivVports());
    }
}
