-- Per-VM zoning: what each VM may reach, how each fabric is zoned, reviewed change sets, and the audit trail.

alter table fabric
    add column zoning_policy varchar(40) not null default 'SINGLE_INITIATOR_MULTI_TARGET'
        check (zoning_policy in ('SINGLE_INITIATOR_SINGLE_TARGET', 'SINGLE_INITIATOR_MULTI_TARGET', 'PEER')),
    add column zone_name_template varchar(64) not null default 'vfz_{vm}_{array}',
    add column default_config_name varchar(64) not null default 'vfz_cfg',
    add column management_password_enc varchar(512);

-- "VM X may reach array Y": on every fabric where both have ports, vfzone keeps a zone for the pair.
create table storage_access (
    id         bigserial primary key,
    vm_id      bigint      not null references vm (id) on delete cascade,
    array_id   bigint      not null references storage_array (id) on delete cascade,
    granted_by varchar(64) not null,
    granted_at timestamptz not null default now(),
    version    bigint      not null default 0,
    constraint storage_access_uk unique (vm_id, array_id)
);
create index storage_access_array_idx on storage_access (array_id);

create table change_set (
    id             bigserial primary key,
    fabric_id      bigint       not null references fabric (id),
    status         varchar(16)  not null check (status in ('PLANNED', 'APPROVED', 'PUSHING', 'DONE', 'FAILED',
                                                           'STALE', 'CANCELLED')),
    created_by     varchar(64)  not null,
    created_at     timestamptz  not null default now(),
    approved_by    varchar(64),
    approved_at    timestamptz,
    pushed_by      varchar(64),
    finished_at    timestamptz,
    state_token    varchar(128) not null,
    config_name    varchar(64)  not null,
    plan           text         not null,
    outcome        varchar(16) check (outcome in ('COMMITTED', 'ROLLED_BACK', 'UNKNOWN')),
    result_message text,
    version        bigint       not null default 0,
    constraint change_set_approver_ck check (approved_by is null or approved_by <> created_by)
);
create index change_set_fabric_idx on change_set (fabric_id, created_at desc);
create index change_set_open_idx on change_set (status) where status in ('PLANNED', 'APPROVED', 'PUSHING');

-- Zones and aliases vfzone made (and may change); everything else on a fabric is foreign and never touched.
create table owned_zone_object (
    id          bigserial primary key,
    fabric_id   bigint      not null references fabric (id) on delete cascade,
    kind        varchar(8)  not null check (kind in ('ZONE', 'ALIAS')),
    name        varchar(64) not null,
    vm_id       bigint,
    array_id    bigint,
    members     text        not null,
    created_at  timestamptz not null default now(),
    constraint owned_zone_object_uk unique (fabric_id, kind, name)
);

-- Append-only audit trail: who did what, when, with before/after and the switch's reply.
create table audit_event (
    id          bigserial primary key,
    at          timestamptz  not null default now(),
    actor       varchar(64)  not null,
    action      varchar(64)  not null,
    object_type varchar(32)  not null,
    object_id   bigint,
    summary     varchar(500) not null,
    detail      text
);
create index audit_event_at_idx on audit_event (at desc);
create index audit_event_object_idx on audit_event (object_type, object_id, at desc);

create function audit_event_is_append_only() returns trigger
    language plpgsql as $$
begin
    raise exception 'the audit trail is append-only: % is not allowed', TG_OP
        using errcode = 'insufficient_privilege';
end $$;
create trigger audit_event_no_update before update or delete on audit_event
    for each row execute function audit_event_is_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_is_append_only();
