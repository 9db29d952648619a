package org.vfzone.inventory;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.vfzone.wwn.ValidWwn;

public record TargetPortForm(
        @NotBlank @Size(max = 64) String name,
        @NotBlank @ValidWwn String wwpn,
        @NotNull Long fabricId) {

    public static TargetPortForm empty() {
        return new TargetPortForm("", "", null);
    }
}
