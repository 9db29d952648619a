package org.vfzone.architecture.violation.beta;

import org.vfzone.architecture.violation.alpha.internal.AlphaStore;

/** Reaches into module alpha's internals: the kind of dependency the module model refuses. */
public class BetaService {

    public int answer() {
        return new AlphaStore().stored();
    }
}
