/**
 * Vendor switch zoning protocols. The application depends only on the small interface in this package;
 * each vendor (Brocade FOS REST, Cisco MDS NX-API) gets one driver behind it.
 */
package org.vfzone.fabric;
