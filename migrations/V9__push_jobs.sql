-- A push is a job owned by one application node. Nodes heartbeat; a push whose node stopped heartbeating (or
-- shut down) is recovered by reading the fabric back.
create table app_node (
    id           varchar(64)  primary key,
    host         varchar(255) not null,
    started_at   timestamptz  not null,
    heartbeat_at timestamptz  not null
);

alter table change_set
    add column push_node       varchar(64),
    add column push_started_at timestamptz;

create index change_set_pushing_idx on change_set (status) where status = 'PUSHING';

-- "stale, nothing written" is not a roll-back: nothing was there to roll back
alter table change_set drop constraint change_set_outcome_check;
alter table change_set add constraint change_set_outcome_check
    check (outcome in ('COMMITTED', 'ROLLED_BACK', 'NOTHING_WRITTEN', 'UNKNOWN'));
update change_set set outcome = 'NOTHING_WRITTEN' where status = 'STALE' and outcome = 'ROLLED_BACK';

-- an array a VM may reach is never deleted silently: the application revokes the grants first, on request
alter table storage_access drop constraint storage_access_array_id_fkey;
alter table storage_access add constraint storage_access_array_id_fkey
    foreign key (array_id) references storage_array (id) on delete restrict;
