-- Traffic from more than one source. An initiator's counters come from one source at a time: the host collector
-- when it reports the initiator, switch analytics (Cisco MDS SAN Analytics) when no collector has for a while. Each
-- switch from one source to the other is kept here: no rate is derived across it (two sources' counters have nothing
-- in common), and a chart says which source its data came from.
create table traffic_source_change (
    initiator bigint      not null,
    at        timestamptz not null,
    source    varchar(16) not null check (source in ('host', 'switch')),
    -- the fabric whose switch reports the initiator, for switch analytics
    fabric_id bigint,
    primary key (initiator, at)
);

-- The last SAN Analytics poll of each fabric: whether the switch has analytics, and what it reported.
create table san_analytics_status (
    fabric_id    bigint       primary key references fabric (id) on delete cascade,
    checked_at   timestamptz  not null,
    status       varchar(16)  not null check (status in ('OK', 'UNAVAILABLE', 'FAILED')),
    message      varchar(500),
    flows        integer      not null default 0,
    initiators   integer      not null default 0,
    -- initiators whose counters were stored from the switch, and those a host collector reports instead
    stored       integer      not null default 0,
    host_reports integer      not null default 0,
    last_ok_at   timestamptz
);

-- Each initiator–target flow as the switch last reported it, with its rates since the poll before: which targets an
-- initiator talks to, and how much, now. Replaced poll by poll; the history is per initiator, in traffic_sample.
create table san_analytics_flow (
    fabric_id   bigint      not null references fabric (id) on delete cascade,
    initiator   bigint      not null,
    target      bigint      not null,
    read_at     timestamptz not null,
    read_ios    bigint      not null,
    write_ios   bigint      not null,
    read_bytes  bigint      not null,
    write_bytes bigint      not null,
    -- since the poll before (null for a flow seen the first time, or whose totals started again)
    interval_s  real,
    read_iops   real,
    write_iops  real,
    read_mbps   real,
    write_mbps  real,
    primary key (fabric_id, initiator, target)
);
create index san_analytics_flow_initiator on san_analytics_flow (initiator);

-- Per-VM disk IO from vCenter (real-time, 20-second averages, summed over the VM's virtual disks): rates as vCenter
-- reports them, per VM and not per fabric. Partitioned by day, kept as long as the raw counters.
create table traffic_vm_sample (
    vm_id      bigint      not null,
    ts         timestamptz not null,
    interval_s smallint    not null check (interval_s > 0),
    read_iops  real        not null,
    write_iops real        not null,
    read_mbps  real        not null,
    write_mbps real        not null,
    primary key (vm_id, ts)
) partition by range (ts);
