-- Congestion per port, from the switches: each fabric's ports' counters as the switch reported them at each poll
-- (cumulative; a value lower than the one before means the switch cleared it), and who was logged in through which
-- port and when. Deltas and rates are derived when read; nothing here is a rate.
create table port_counter_sample (
    fabric_id      bigint       not null references fabric (id) on delete cascade,
    port           varchar(64)  not null,
    read_at        timestamptz  not null,
    online         boolean      not null,
    credit_zero    bigint,
    txwait_ticks   bigint,
    discards       bigint,
    timeouts       bigint,
    credit_loss    bigint,
    link_errors    bigint,
    tx_bytes       bigint,
    rx_bytes       bigint,
    primary key (fabric_id, read_at, port)
);
-- old readings go by time across all fabrics
create index port_counter_sample_read_at_brin on port_counter_sample using brin (read_at);

-- The same counters' increases summed per port and hour (a reading's increase counts in the hour it was read):
-- what pages over days and the hourly timelines read. Maintained by each poll from the port's reading before.
create table port_counter_hour (
    fabric_id      bigint           not null references fabric (id) on delete cascade,
    hour           timestamptz      not null,
    port           varchar(64)      not null,
    seconds        double precision not null,
    online         boolean          not null,
    credit_zero    bigint,
    txwait_ticks   bigint,
    discards       bigint,
    timeouts       bigint,
    credit_loss    bigint,
    link_errors    bigint,
    tx_bytes       bigint,
    rx_bytes       bigint,
    primary key (fabric_id, hour, port)
);
create index port_counter_hour_brin on port_counter_hour using brin (hour);

-- The same per port and day (UTC): what pages over weeks read for the whole days in their period.
create table port_counter_day (like port_counter_hour including constraints);
alter table port_counter_day rename column hour to day;
alter table port_counter_day add primary key (fabric_id, day, port);
alter table port_counter_day add foreign key (fabric_id) references fabric (id) on delete cascade;

-- Each port's latest reading, the base of the next reading's increases.
create table port_counter_last (
    fabric_id      bigint       not null references fabric (id) on delete cascade,
    port           varchar(64)  not null,
    read_at        timestamptz  not null,
    credit_zero    bigint,
    txwait_ticks   bigint,
    discards       bigint,
    timeouts       bigint,
    credit_loss    bigint,
    link_errors    bigint,
    tx_bytes       bigint,
    rx_bytes       bigint,
    primary key (fabric_id, port)
);

-- A device's login through a port: one row per (fabric, device, port) stretch, its end moved forward at each poll
-- that still sees it. A device that moves to another port (a VM migrated, a cable moved) starts a new row.
create table port_login (
    fabric_id   bigint       not null references fabric (id) on delete cascade,
    wwpn        bigint       not null,
    port        varchar(64)  not null,
    fcid        varchar(16),
    first_seen  timestamptz  not null,
    last_seen   timestamptz  not null,
    primary key (fabric_id, wwpn, first_seen)
);
create index port_login_port_idx on port_login (fabric_id, port, last_seen);

-- The last congestion poll of each fabric, for its page.
create table congestion_status (
    fabric_id   bigint       primary key references fabric (id) on delete cascade,
    checked_at  timestamptz  not null,
    status      varchar(16)  not null check (status in ('OK', 'UNAVAILABLE', 'FAILED')),
    message     varchar(500),
    ports       integer      not null default 0,
    logins      integer      not null default 0,
    last_ok_at  timestamptz
);
