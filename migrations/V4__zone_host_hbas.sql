-- vSphere NPIV with RDM: the physical HBA ports of every host a VM may run on must reach its storage too.
alter table fabric add column zone_host_hbas boolean not null default false;
