-- Scheduled jobs take a named lock here (ShedLock), so several app nodes sharing one database run each job once.
create table shedlock (
    name       varchar(64)  not null primary key,
    lock_until timestamp    not null,
    locked_at  timestamp    not null,
    locked_by  varchar(255) not null
);

-- The last drift check of each fabric: vfzone's zones compared with the switch's effective configuration.
create table fabric_drift_check (
    fabric_id  bigint       not null primary key references fabric (id) on delete cascade,
    checked_at timestamptz  not null,
    status     varchar(16)  not null check (status in ('IN_SYNC', 'DRIFT', 'UNREADABLE')),
    message    varchar(500)
);

create table zone_drift (
    id          bigserial primary key,
    fabric_id   bigint       not null references fabric (id) on delete cascade,
    zone_name   varchar(64)  not null,
    vm_id       bigint,
    problem     varchar(500) not null,
    detected_at timestamptz  not null
);
create index zone_drift_fabric_idx on zone_drift (fabric_id);
create index zone_drift_vm_idx on zone_drift (vm_id);
