package org.vfzone.inventory;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record StorageArrayForm(
        @NotBlank @Size(max = 128) String name,
        @NotBlank @Size(max = 64) String vendor,
        @Size(max = 64) String model,
        @Size(max = 64) String serial) {

    public static StorageArrayForm empty() {
        return new StorageArrayForm("", "", "", "");
    }

    public static StorageArrayForm of(StorageArray a) {
        return new StorageArrayForm(a.getName(), a.getVendor(), a.getModel(), a.getSerial());
    }
}
