-- vCenter connections: where vfzone reads ESXi VMs' disk IO (the password AES-GCM encrypted, write-only).
create table vcenter_connection (
    id                     bigserial    primary key,
    name                   varchar(64)  not null,
    sdk_url                varchar(255) not null,
    username               varchar(128) not null,
    password_enc           varchar(1024),
    tls_certificate_sha256 varchar(64)
        check (tls_certificate_sha256 is null or tls_certificate_sha256 ~ '^[0-9a-f]{64}$'),
    created_at             timestamptz  not null default now()
);
create unique index vcenter_connection_name_uk on vcenter_connection (lower(name));

-- Each vCenter's last poll.
create table vcenter_status (
    vcenter_id bigint       primary key references vcenter_connection (id) on delete cascade,
    checked_at timestamptz  not null,
    status     varchar(16)  not null check (status in ('OK', 'FAILED')),
    message    varchar(500),
    vms        integer      not null default 0,
    matched    integer      not null default 0,
    samples    integer      not null default 0,
    last_ok_at timestamptz
);

-- Which vfzone VM each vCenter VM was matched to at the last poll, and by what.
create table vcenter_vm (
    vcenter_id bigint      not null references vcenter_connection (id) on delete cascade,
    moref      varchar(80) not null,
    vm_id      bigint      not null,
    matched_by varchar(8)  not null check (matched_by in ('wwpn', 'uuid', 'name')),
    seen_at    timestamptz not null,
    primary key (vcenter_id, moref)
);
create index vcenter_vm_vm on vcenter_vm (vm_id);
