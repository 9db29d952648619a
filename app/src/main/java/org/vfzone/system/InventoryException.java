package org.vfzone.system;

import org.springframework.http.HttpStatus;

/**
 * A change refused for a reason the admin can act on. {@code field} names the form field at fault, or is null
 * when the refusal concerns the whole object (e.g. deleting something still in use).
 */
public class InventoryException extends RuntimeException {

    private final String field;
    private final HttpStatus status;

    private InventoryException(HttpStatus status, String field, String message) {
        super(message);
        this.field = field;
        this.status = status;
    }

    /** Input that breaks a rule (wrong NAA type, VF on another host…): HTTP 400. */
    public static InventoryException invalid(String field, String message) {
        return new InventoryException(HttpStatus.BAD_REQUEST, field, message);
    }

    /** Conflicts with stored state (duplicate, in use, exhausted pool): HTTP 409. */
    public static InventoryException conflict(String field, String message) {
        return new InventoryException(HttpStatus.CONFLICT, field, message);
    }

    public String field() {
        return field;
    }

    public HttpStatus status() {
        return status;
    }
}
