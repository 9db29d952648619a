package org.vfzone.architecture.violation.alpha.internal;

/** Internal to module alpha, as a repository is internal to its module. */
public class AlphaStore {

    public int stored() {
        return 42;
    }
}
