package org.vfzone.wwn;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Create/edit input of a WWN pool, as typed in the form or sent to the API. */
public record WwnPoolForm(
        @NotBlank @Size(max = 64) String name,
        @NotNull Integer naaType,
        @NotBlank @ValidWwn String firstWwn,
        @NotBlank @ValidWwn String lastWwn,
        @Pattern(regexp = "^$|^(?i)[0-9a-f]{2}([:-]?[0-9a-f]{2}){2}$", message = "must be 3 hex bytes, e.g. 00:0c:29")
        String oui,
        @Size(max = 255) String description) {

    public static WwnPoolForm empty() {
        return new WwnPoolForm("", 2, "", "", "", "");
    }

    public static WwnPoolForm of(WwnPool pool) {
        return new WwnPoolForm(pool.getName(), pool.getNaaType(), pool.getFirstWwn().toString(),
                pool.getLastWwn().toString(), pool.getOui() == null ? "" : pool.getOui(), pool.getDescription());
    }
}
