/** Per-initiator traffic: ingest, storage, rollups, compaction, charts and reports. */
@ApplicationModule(allowedDependencies = {"inventory", "system", "wwn"})
package org.vfzone.traffic;

import org.springframework.modulith.ApplicationModule;
