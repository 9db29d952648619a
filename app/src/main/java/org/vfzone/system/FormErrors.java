package org.vfzone.system;

import java.util.Arrays;

import org.springframework.beans.BeanUtils;
import org.springframework.validation.BindingResult;

/** Shows a refused change next to the field it concerns, or at the top of the form. */
public final class FormErrors {

    private FormErrors() {
    }

    public static void reject(RuleViolation e, BindingResult result) {
        if (e.field() != null && hasField(result.getTarget(), e.field())) {
            result.rejectValue(e.field(), "refused", e.getMessage());
        } else {
            result.reject("refused", e.getMessage());
        }
    }

    private static boolean hasField(Object form, String field) {
        if (form == null) {
            return false;
        }
        if (form.getClass().isRecord()) {
            return Arrays.stream(form.getClass().getRecordComponents())
                    .anyMatch(component -> component.getName().equals(field));
        }
        return BeanUtils.getPropertyDescriptor(form.getClass(), field) != null;
    }
}
