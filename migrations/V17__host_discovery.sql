-- The FC inventory each host's collector reported last (ports, SR-IOV, NPIV vports), and the fabric names
-- (fabric WWNs) vfzone learned from ports it knows: the differences become proposals an operator accepts.
create table host_discovery (
    host_name   varchar(128) primary key,
    report      text         not null,
    reported_by varchar(64)  not null,
    reported_at timestamptz  not null default now()
);

create table fabric_name_seen (
    fabric_wwn varchar(16)  primary key,
    fabric_id  bigint       not null references fabric (id) on delete cascade,
    learned_at timestamptz  not null default now()
);
