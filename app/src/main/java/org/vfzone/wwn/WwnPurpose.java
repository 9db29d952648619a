package org.vfzone.wwn;

/** What an allocated WWN is used as. */
public enum WwnPurpose {
    WWNN, ACTIVE_WWPN, STANDBY_WWPN
}
