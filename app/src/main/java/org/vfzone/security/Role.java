package org.vfzone.security;

/** Roles, each including the rights of the ones before it. */
public enum Role {
    /** Reads everything, changes nothing. */
    VIEWER,
    /** Changes the inventory and prepares zoning changes. */
    OPERATOR,
    /** Also approves zoning changes prepared by someone else. */
    APPROVER,
    /** Also manages users. */
    ADMIN
}
