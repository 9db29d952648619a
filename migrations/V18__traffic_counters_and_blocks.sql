-- Raw traffic keeps what the HBA reports — the counters — and rates are derived when read (rollups, charts), from
-- each snapshot and the one before it. Closed days are compacted per initiator into one block of compressed
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
    day        date        not null,
    samples    integer     not null check (samples > 0),
    first_ts   timestamptz not null,
    last_ts    timestamptz not null,
    -- the encoded streams; already compressed, so TOAST stores them out of line without compressing again
    streams    bytea       not null,
    -- port state runs: states[i] holds from sample state_from[i] on
    state_from integer[]   not null,
    states     text[]      not null,
    primary key (initiator, day),
    check (last_ts >= first_ts)
);
alter table traffic_block alter column streams set storage external;
create index traffic_block_day on traffic_block (day);

-- Days whose raw partition was compacted into blocks; a late snapshot for such a day is checked against its blocks.
create table traffic_compacted_day (
    day          date        primary key,
    compacted_at timestamptz not null default now(),
    samples      bigint      not null,
    block_bytes  bigint      not null
);
