package vn.zalogateway.common.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import vn.zalogateway.common.PhoneNumbers;

/** A number {@link PhoneNumbers#normalise} accepts (null and empty are left to {@code @NotBlank}). */
@Documented
@Constraint(validatedBy = VietnameseMobile.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface VietnameseMobile {

    String message() default "must be a Vietnamese mobile number: 0912345678, 84912345678 or +84912345678";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<VietnameseMobile, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || value.isEmpty() || PhoneNumbers.normalise(value).isPresent();
        }
    }
}
