-- Standard changes: pre-approved, low-risk, repeatable zoning changes. An APPROVER other than the proposer
-- activates a policy; a planned change set whose every row falls inside one active policy is approved by it.
create table standard_change_policy (
    id            bigserial primary key,
    name          varchar(48)  not null,
    description   varchar(500) not null default '',
    fabric_ids    bigint[]     not null,
    array_ids     bigint[]     not null,
    clusters      text[]       not null default '{}',
    host_ids      bigint[]     not null default '{}',
    zoning_policy varchar(40),
    allow_add     boolean      not null,
    allow_remove  boolean      not null,
    max_zones     integer      not null check (max_zones between 1 and 10000),
    expires_at    timestamptz  not null,
    status        varchar(16)  not null check (status in ('PROPOSED', 'ACTIVE', 'REVOKED')),
    proposed_by   varchar(64)  not null,
    proposed_at   timestamptz  not null default now(),
    approved_by   varchar(64),
    approved_at   timestamptz,
    revoked_by    varchar(64),
    revoked_at    timestamptz,
    version       bigint       not null default 0,
    constraint standard_change_policy_actions_ck check (allow_add or allow_remove),
    constraint standard_change_policy_four_eyes_ck check (approved_by is null or approved_by <> proposed_by),
    constraint standard_change_policy_active_ck check (status <> 'ACTIVE' or approved_by is not null),
    constraint standard_change_policy_scope_ck check (cardinality(fabric_ids) > 0 and cardinality(array_ids) > 0)
);
create unique index standard_change_policy_name_uk on standard_change_policy (lower(name));

alter table change_set add column approval_policy_id bigint references standard_change_policy (id);

-- Provisioning and decommissioning jobs: answered at once, run in the background, idempotent by their key.
create table provision_job (
    id             uuid         primary key,
    kind           varchar(16)  not null check (kind in ('PROVISION', 'DECOMMISSION')),
    job_key        varchar(200) not null,
    request        text         not null,
    status         varchar(24)  not null check (status in ('RUNNING', 'WAITING_APPROVAL', 'DONE', 'FAILED')),
    vm_id          bigint,
    vm_name        varchar(64),
    steps          text         not null default '[]',
    change_set_ids bigint[]     not null default '{}',
    error          text,
    app_node       varchar(64),
    created_by     varchar(64)  not null,
    created_at     timestamptz  not null default now(),
    updated_at     timestamptz  not null default now()
);
create unique index provision_job_key_uk on provision_job (kind, job_key);
create index provision_job_open_idx on provision_job (status) where status in ('RUNNING', 'WAITING_APPROVAL');
