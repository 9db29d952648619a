-- Hourly averages of the per-VM disk IO from vCenter, for the top-VM report over days and months (the raw 20-second
-- samples are too many to rank an estate from). Partitioned by month like the counters' hourly rollups.
create table traffic_vm_1h (
    vm_id      bigint      not null,
    bucket     timestamptz not null,
    samples    integer     not null,
    read_iops  real        not null,
    write_iops real        not null,
    read_mbps  real        not null,
    write_mbps real        not null,
    primary key (vm_id, bucket)
) partition by range (bucket);
