-- Raw traffic keeps what the HBA reports — the counters — and rates are derived when read (rollups, charts), from
-- each snapshot and the one before it. Closed hours are compacted per initiator into one block of compressed
-- streams (delta-of-delta timestamps, XOR-encoded counters); readers merge blocks and raw rows transparently.

alter table traffic_sample
    drop column interval_s,
    drop column read_iops,
    drop column write_iops,
    drop column read_mbps,
    drop column write_mbps,
    drop column rx_fps,
    drop column tx_fps,
    drop column errors,
    drop column counter_reset;

create table traffic_block (
    initiator  bigint      not null,
    -- the UTC hour whose snapshots the block holds
    hour       timestamptz not null check (date_trunc('hour', hour) = hour),
    samples    integer     not null check (samples > 0),
    first_ts   timestamptz not null,
    last_ts    timestamptz not null,
    -- the encoded streams; already compressed, so TOAST stores them out of line without compressing again
    streams    bytea       not null,
    -- port state runs: states[i] holds from sample state_from[i] on
    state_from integer[]   not null,
    states     text[]      not null,
    primary key (initiator, hour),
    check (first_ts >= hour and last_ts < hour + interval '1 hour' and last_ts >= first_ts)
);
alter table traffic_block alter column streams set storage external;
create index traffic_block_hour on traffic_block (hour);

-- Hours whose raw snapshots were compacted into blocks; a late snapshot for such an hour is checked against its
-- blocks, and readers look for blocks only where an hour was compacted.
create table traffic_compacted_hour (
    hour         timestamptz primary key,
    compacted_at timestamptz not null default now(),
    samples      bigint      not null,
    block_bytes  bigint      not null
);
