package org.vfzone.wwn;

/** A WWN that cannot be parsed; the message is the reason, to be shown next to the field. */
public class WwnFormatException extends IllegalArgumentException {

    public WwnFormatException(String reason) {
        super(reason);
    }
}
