package org.vfzone.architecture.violation.alpha;

/** A module's API in the fixture that proves ModularityTests catches a reach into another module's internals. */
public class AlphaService {

    public int answer() {
        return new org.vfzone.architecture.violation.alpha.internal.AlphaStore().stored();
    }
}
