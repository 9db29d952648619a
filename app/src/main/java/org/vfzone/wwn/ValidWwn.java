package org.vfzone.wwn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** A form field holding a WWN as typed; blank passes (combine with {@code @NotBlank} when required). */
@Documented
@Constraint(validatedBy = ValidWwn.Validator.class)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface ValidWwn {

    String message() default "is not a valid WWN";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ValidWwn, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isBlank()) {
                return true;
            }
            try {
                Wwn.parse(value);
                return true;
            } catch (WwnFormatException e) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(escape("is not a valid WWN: " + e.getMessage()))
                        .addConstraintViolation();
                return false;
            }
        }

        /** The reason quotes user input: keep it out of message interpolation. */
        private static String escape(String text) {
            return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
        }
    }
}
