-- Per-initiator FC traffic. Raw counter snapshots (as the HBA reports them) with the per-second rates derived
-- from the previous snapshot of the same WWPN, partitioned by day; 5-minute and hourly rollups partitioned by
-- month. Retention drops whole partitions. The initiator is the WWPN's 64-bit value (wwn_to_int8).

create table traffic_sample (
    initiator                bigint      not null,
    ts                       timestamptz not null,
    fcp_input_requests       bigint,
    fcp_output_requests      bigint,
    fcp_input_megabytes      bigint,
    fcp_output_megabytes     bigint,
    tx_frames                bigint,
    rx_frames                bigint,
    tx_words                 bigint,
    rx_words                 bigint,
    error_frames             bigint,
    link_failure_count       bigint,
    loss_of_sync_count       bigint,
    loss_of_signal_count     bigint,
    invalid_crc_count        bigint,
    dumped_frames            bigint,
    seconds_since_last_reset bigint,
    port_state               varchar(16),
    -- derived over the interval that ends at ts; null for a first sample and after a gap
    interval_s               real,
    read_iops                real,
    write_iops               real,
    read_mbps                real,
    write_mbps               real,
    rx_fps                   real,
    tx_fps                   real,
    errors                   integer,
    counter_reset            boolean     not null default false,
    primary key (initiator, ts)
) partition by range (ts);
create index traffic_sample_ts_brin on traffic_sample using brin (ts);

create table traffic_5m (
    initiator       bigint      not null,
    bucket          timestamptz not null,
    samples         integer     not null,
    read_iops_avg   real, read_iops_max  real,
    write_iops_avg  real, write_iops_max real,
    read_mbps_avg   real, read_mbps_max  real,
    write_mbps_avg  real, write_mbps_max real,
    rx_fps_avg      real, tx_fps_avg     real,
    errors          integer     not null default 0,
    primary key (initiator, bucket)
) partition by range (bucket);
create index traffic_5m_bucket_brin on traffic_5m using brin (bucket);

create table traffic_1h (like traffic_5m including defaults including constraints) partition by range (bucket);
alter table traffic_1h add primary key (initiator, bucket);
create index traffic_1h_bucket_brin on traffic_1h using brin (bucket);

-- How far each rollup tier is complete: the next run starts at this bucket.
create table traffic_rollup_state (
    tier      varchar(8)  primary key,
    done_upto timestamptz not null
);

-- API tokens for collectors: only a hash is stored; the token is shown once when created.
create table api_token (
    id           bigserial primary key,
    name         varchar(64)  not null,
    token_hash   varchar(64)  not null unique,
    role         varchar(16)  not null check (role in ('COLLECTOR', 'VIEWER', 'OPERATOR')),
    created_by   varchar(64)  not null,
    created_at   timestamptz  not null default now(),
    last_used_at timestamptz,
    revoked      boolean      not null default false
);
create unique index api_token_name_uk on api_token (lower(name));
