package org.vfzone.estate;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.stereotype.Component;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.Hypervisor;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFormatException;

/**
 * What every estate file's rows need: stored hosts and fabrics by name, form validation with the field at fault,
 * and the CSV cells read as WWNs, numbers and enum values, each refusal naming its field.
 */
@Component
class EstateRows {

    private final HostService hosts;
    private final FabricService fabrics;
    private final Validator validator;

    EstateRows(HostService hosts, FabricService fabrics, Validator validator) {
        this.hosts = hosts;
        this.fabrics = fabrics;
        this.validator = validator;
    }

    Host hostNamed(String name, String column) {
        return hosts.findByName(name)
                .orElseThrow(() -> RuleViolation.invalid("hostId", "host " + name + " does not exist (neither "
                        + "stored nor in hosts.csv)"));
    }

    Fabric fabricNamed(String name) {
        return fabrics.findByName(name)
                .orElseThrow(() -> RuleViolation.invalid("fabricId", "fabric " + name + " does not exist; "
                        + "create the fabrics first"));
    }

    <T> void validate(T form) {
        Set<ConstraintViolation<T>> violations = validator.validate(form);
        if (!violations.isEmpty()) {
            ConstraintViolation<T> first = violations.stream()
                    .sorted(java.util.Comparator.comparing(v -> v.getPropertyPath().toString())).findFirst().get();
            throw RuleViolation.invalid(first.getPropertyPath().toString(), first.getMessage());
        }
    }

    static Wwn wwn(String text, String field) {
        try {
            return Wwn.parse(text);
        } catch (WwnFormatException e) {
            throw RuleViolation.invalid(field, "is not a valid WWN: " + e.getMessage());
        }
    }

    static Integer integer(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RuleViolation.invalid(field, "'" + text + "' is not a whole number");
        }
    }

    static Hypervisor hypervisor(String text) {
        if (text == null) {
            return Hypervisor.ESXI;
        }
        String t = text.toLowerCase(Locale.ROOT).replace(" ", "");
        if (t.contains("esx") || t.contains("vmware")) {
            return Hypervisor.ESXI;
        }
        if (t.contains("hyper")) {
            return Hypervisor.HYPER_V;
        }
        if (t.contains("kvm")) {
            return Hypervisor.KVM;
        }
        throw RuleViolation.invalid("hypervisor", "'" + text + "' is not ESXi, Hyper-V or KVM");
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String text, String field) {
        try {
            return Enum.valueOf(type, Objects.requireNonNullElse(text, "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RuleViolation.invalid(field, "'" + text + "' must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    static String blank(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
