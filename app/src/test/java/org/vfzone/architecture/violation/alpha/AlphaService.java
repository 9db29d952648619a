package org.vfzone.architecture.violation.alpha;

import org.vfzone.architecture.violation.alpha.internal.AlphaStore;

/** A module's API in the fixture that proves ModularityTests catches a reach into another module's internals. */
public class AlphaService {

    public int answer() {
        return new AlphaStore().stored();
    }
}
