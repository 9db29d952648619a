package org.vfzone.system;

import org.springframework.http.HttpStatus;

/**
 * A request refused by a rule of vfzone (any module), for a reason the admin can act on. {@code field} names the form field at fault, or is null
 * when the refusal concerns the whole object (e.g. deleting something still in use).
 */
public class RuleViolation extends RuntimeException {

    private final String field;
    private final HttpStatus status;

    private RuleViolation(HttpStatus status, String field, String message) {
        super(message);
        this.field = field;
        this.status = status;
    }

    /** Input that breaks a rule (wrong NAA type, VF on another host…): HTTP 400. */
    public static RuleViolation invalid(String field, String message) {
        return new RuleViolation(HttpStatus.BAD_REQUEST, field, message);
    }

    /** Conflicts with stored state (duplicate, in use, exhausted pool): HTTP 409. */
    public static RuleViolation conflict(String field, String message) {
        return new RuleViolation(HttpStatus.CONFLICT, field, message);
    }

    /** Allowed by the URL rules but not for this object, such as a fabric outside the person's scope: HTTP 403. */
    public static RuleViolation forbidden(String field, String message) {
        return new RuleViolation(HttpStatus.FORBIDDEN, field, message);
    }

    public String field() {
        return field;
    }

    public HttpStatus status() {
        return status;
    }
}
