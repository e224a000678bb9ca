package vn.zalogateway.common.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.ZoneOffset;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import vn.zalogateway.common.ProviderTime;


/** ISO-8601 with an offset, or the providers' {@code yyyy-MM-dd HH:mm:ss} (null and empty are left alone). */
@Documented
@Constraint(validatedBy = Timestamp.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface Timestamp {

    String message() default "must be ISO-8601 with an offset (2026-12-01T09:00:00+07:00) or yyyy-MM-dd HH:mm:ss";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Timestamp, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            // The zone changes the instant, never whether the text is a time.
            return value == null || value.isEmpty() || ProviderTime.read(value, ZoneOffset.UTC) != null;
        }
    }
}
