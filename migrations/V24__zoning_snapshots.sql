-- Every push keeps the fabric's zoning as read just before it and just after it, with the names of the zones and
-- aliases vfzone held then: a backup to download (JSON, vendor CLI) and what an undo plans from.
create table zoning_snapshot (
    id            bigserial    primary key,
    fabric_id     bigint       not null references fabric (id) on delete cascade,
    change_set_id bigint       references change_set (id) on delete set null,
    phase         varchar(8)   not null check (phase in ('BEFORE', 'AFTER')),
    taken_at      timestamptz  not null,
    state_token   varchar(200) not null,
    owned_zones   text[]       not null,
    owned_aliases text[]       not null,
    -- for each vfzone zone, the VM and array it was for: {"zone": [vm_id, array_id]}
    zone_owners   jsonb        not null default '{}',
    zoning        jsonb        not null,
    constraint zoning_snapshot_uk unique (change_set_id, phase)
);
create index zoning_snapshot_fabric_idx on zoning_snapshot (fabric_id, id desc);
