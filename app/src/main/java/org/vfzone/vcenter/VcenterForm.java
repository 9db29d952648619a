package org.vfzone.vcenter;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A vCenter connection as typed: the password is write-only (blank keeps the stored one, unless where it would go
 * changed).
 */
public record VcenterForm(@NotBlank @Size(max = 64) String name, @NotBlank @Size(max = 255) String sdkUrl,
                          @NotBlank @Size(max = 128) String username, @Size(max = 256) String password,
                          @Size(max = 100) String tlsCertificateSha256) {

    public static VcenterForm empty() {
        return new VcenterForm("", "https://", "", "", "");
    }

    @Override
    public String toString() {
        return "VcenterForm[" + name + ", " + sdkUrl + ", " + username + ", password hidden]";
    }
}
