package org.vfzone.traffic;

import java.math.BigInteger;

/** A counter as Linux prints it in sysfs ({@code 0x%llx}) or as a decimal, for every reader of host counters. */
public final class SysfsCounter {

    private static final BigInteger UNSUPPORTED = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private SysfsCounter() {
    }

    /**
     * A u64 counter; null for the all-ones "not supported" value; a value above 2^63 comes back as its unsigned bits.
     *
     * @throws NumberFormatException when it is not a counter (not a number, negative, above 64 bits)
     */
    public static Long parse(String text) {
        String trimmed = text.strip();
        // the common case without BigInteger: sysfs hex or a decimal that fits in 63 bits
        if ((trimmed.startsWith("0x") || trimmed.startsWith("0X")) && trimmed.length() > 2 && trimmed.length() <= 18) {
            String hex = trimmed.substring(2);
            if (hex.length() == 16 && hex.equalsIgnoreCase("ffffffffffffffff")) {
                return null;
            }
            return Long.parseUnsignedLong(hex, 16);
        }
        if (!trimmed.isEmpty() && trimmed.length() <= 18 && trimmed.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(trimmed);
        }
        BigInteger value = trimmed.startsWith("0x") || trimmed.startsWith("0X")
                ? new BigInteger(trimmed.substring(2), 16) : new BigInteger(trimmed);
        if (value.signum() < 0 || value.bitLength() > 64) {
            throw new NumberFormatException("out of range");
        }
        if (value.equals(UNSUPPORTED)) {
            return null;
        }
        return value.longValue();
    }
}
