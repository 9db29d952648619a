-- Inventory and NPIV identity model.
-- WWNs are stored in their canonical form: 8 lower-case hex bytes joined by colons (23 characters).

create domain wwn as varchar(23)
    check (value ~ '^[0-9a-f]{2}(:[0-9a-f]{2}){7}$' and value <> '00:00:00:00:00:00:00:00');

-- 64-bit value of a WWN, for range arithmetic (pools only use NAA types whose top bit is 0).
create function wwn_to_int8(w text) returns bigint
    language sql immutable strict parallel safe
    as $$ select ('x' || replace(w, ':', ''))::bit(64)::bigint $$;

-- Every WWN in use anywhere in the system has exactly one row here: the primary key makes a WWN unique
-- across physical ports, target ports and VM identities, whichever table it is entered in.
create table wwn_registry (
    wwn          wwn primary key,
    owner_table  varchar(64) not null,
    owner_column varchar(64) not null,
    owner_id     bigint      not null
);

create function wwn_registry_sync() returns trigger
    language plpgsql as $$
declare
    col     text := TG_ARGV[0];
    old_wwn text;
    new_wwn text;
begin
    if TG_OP in ('UPDATE', 'DELETE') then
        old_wwn := to_jsonb(OLD) ->> col;
    end if;
    if TG_OP in ('INSERT', 'UPDATE') then
        new_wwn := to_jsonb(NEW) ->> col;
    end if;
    if TG_OP = 'UPDATE' and old_wwn is not distinct from new_wwn then
        return NEW;
    end if;
    if old_wwn is not null then
        delete from wwn_registry
         where wwn = old_wwn and owner_table = TG_TABLE_NAME and owner_column = col and owner_id = OLD.id;
    end if;
    if new_wwn is not null then
        insert into wwn_registry (wwn, owner_table, owner_column, owner_id)
        values (new_wwn, TG_TABLE_NAME, col, NEW.id);
    end if;
    return null;
end $$;

create table fabric (
    id                  bigserial primary key,
    name                varchar(64)  not null,
    side                varchar(32)  not null,
    vendor              varchar(32)  not null check (vendor in ('simulated', 'brocade-fos-rest', 'cisco-mds-nxapi')),
    virtual_fabric_id   integer check (virtual_fabric_id between 1 and 4094),
    management_url      varchar(255),
    management_username varchar(128),
    description         varchar(255),
    version             bigint       not null default 0,
    created_at          timestamptz  not null default now()
);
create unique index fabric_name_uk on fabric (lower(name));

create table host (
    id         bigserial primary key,
    name       varchar(128) not null,
    cluster    varchar(128),
    hypervisor varchar(16)  not null check (hypervisor in ('ESXI', 'HYPER_V', 'KVM')),
    version    bigint       not null default 0,
    created_at timestamptz  not null default now()
);
create unique index host_name_uk on host (lower(name));
create index host_cluster_idx on host (cluster);

create table adapter (
    id              bigserial primary key,
    host_id         bigint       not null references host (id),
    kind            varchar(8)   not null check (kind in ('HBA', 'CNA')),
    vendor          varchar(64)  not null,
    model           varchar(64)  not null,
    pci_address     varchar(16)  not null check (pci_address ~ '^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$'),
    wwnn            wwn          not null,
    wwpn            wwn          not null,
    fabric_id       bigint references fabric (id),
    max_vfs         integer      not null check (max_vfs between 0 and 256),
    max_npiv_vports integer      not null check (max_npiv_vports between 0 and 1024),
    version         bigint       not null default 0,
    created_at      timestamptz  not null default now(),
    constraint adapter_pci_uk unique (host_id, pci_address)
);
create index adapter_fabric_idx on adapter (fabric_id);
create trigger adapter_wwnn_registry after insert or update or delete on adapter
    for each row execute function wwn_registry_sync('wwnn');
create trigger adapter_wwpn_registry after insert or update or delete on adapter
    for each row execute function wwn_registry_sync('wwpn');

create table vm (
    id         bigserial primary key,
    name       varchar(128) not null,
    uuid       uuid         not null unique,
    host_id    bigint       not null references host (id),
    cluster    varchar(128),
    wwnn       wwn,
    version    bigint       not null default 0,
    created_at timestamptz  not null default now()
);
create unique index vm_name_uk on vm (lower(name));
create index vm_host_idx on vm (host_id);
-- substring search on the VM list stays an index scan at tens of thousands of VMs
create extension if not exists pg_trgm;
create index vm_name_trgm_idx on vm using gin (lower(name) gin_trgm_ops);
create trigger vm_wwnn_registry after insert or update or delete on vm
    for each row execute function wwn_registry_sync('wwnn');

create table virtual_function (
    id          bigserial primary key,
    adapter_id  bigint      not null references adapter (id) on delete cascade,
    vf_index    integer     not null check (vf_index >= 0),
    pci_address varchar(16) not null check (pci_address ~ '^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$'),
    vm_id       bigint references vm (id),
    version     bigint      not null default 0,
    constraint vf_index_uk unique (adapter_id, vf_index)
);
create index vf_vm_idx on virtual_function (vm_id);

-- An adapter never has more VFs than its SR-IOV total: VF indexes are unique per adapter and must lie
-- in [0, max_vfs), so the count can never exceed max_vfs, whatever runs concurrently.
create function vf_index_within_adapter_limit() returns trigger
    language plpgsql as $$
declare
    limit_vfs integer;
begin
    select max_vfs into limit_vfs from adapter where id = NEW.adapter_id;
    if NEW.vf_index >= limit_vfs then
        raise exception 'VF index % is beyond the adapter''s maximum of % VFs', NEW.vf_index, limit_vfs
            using errcode = 'check_violation', constraint = 'vf_within_max_vfs';
    end if;
    return NEW;
end $$;
create trigger vf_within_max_vfs before insert or update of vf_index, adapter_id on virtual_function
    for each row execute function vf_index_within_adapter_limit();

create function adapter_max_vfs_covers_vfs() returns trigger
    language plpgsql as $$
begin
    if exists (select 1 from virtual_function where adapter_id = NEW.id and vf_index >= NEW.max_vfs) then
        raise exception 'the adapter has VFs with an index at or above the new maximum of %', NEW.max_vfs
            using errcode = 'check_violation', constraint = 'vf_within_max_vfs';
    end if;
    return NEW;
end $$;
create trigger adapter_max_vfs_check before update of max_vfs on adapter
    for each row execute function adapter_max_vfs_covers_vfs();

-- A VM's NPIV identity on one fabric: the active WWPN and the standby WWPN used during live migration.
create table vm_fabric_identity (
    id           bigserial primary key,
    vm_id        bigint      not null references vm (id) on delete cascade,
    fabric_id    bigint      not null references fabric (id),
    active_wwpn  wwn         not null,
    standby_wwpn wwn         not null,
    version      bigint      not null default 0,
    created_at   timestamptz not null default now(),
    constraint vm_fabric_identity_uk unique (vm_id, fabric_id),
    constraint vm_fabric_identity_pair_ck check (active_wwpn <> standby_wwpn)
);
create index vm_fabric_identity_fabric_idx on vm_fabric_identity (fabric_id);
create trigger vm_identity_active_registry after insert or update or delete on vm_fabric_identity
    for each row execute function wwn_registry_sync('active_wwpn');
create trigger vm_identity_standby_registry after insert or update or delete on vm_fabric_identity
    for each row execute function wwn_registry_sync('standby_wwpn');

create table wwn_pool (
    id          bigserial primary key,
    name        varchar(64)  not null,
    naa_type    integer      not null check (naa_type in (1, 2, 3, 5)),
    first_wwn   wwn          not null,
    last_wwn    wwn          not null,
    oui         varchar(8) check (oui ~ '^[0-9a-f]{2}(:[0-9a-f]{2}){2}$'),
    description varchar(255),
    -- offset from first_wwn where the next allocation starts looking (round robin through the range)
    next_offset bigint       not null default 0,
    version     bigint       not null default 0,
    created_at  timestamptz  not null default now(),
    constraint wwn_pool_order_ck check (first_wwn <= last_wwn),
    constraint wwn_pool_no_overlap exclude using gist (
        int8range(wwn_to_int8(first_wwn), wwn_to_int8(last_wwn), '[]') with &&)
);
create unique index wwn_pool_name_uk on wwn_pool (lower(name));

-- Allocation history. A live allocation has released_at null; a released WWN is quarantined until
-- reusable_after, because it may still be zoned on a fabric.
create table wwn_allocation (
    id             bigserial primary key,
    pool_id        bigint       not null references wwn_pool (id),
    wwn            wwn          not null,
    purpose        varchar(16)  not null check (purpose in ('WWNN', 'ACTIVE_WWPN', 'STANDBY_WWPN')),
    vm_id          bigint,
    vm_name        varchar(128) not null,
    fabric_name    varchar(64),
    allocated_at   timestamptz  not null default now(),
    allocated_by   varchar(64)  not null,
    released_at    timestamptz,
    released_by    varchar(64),
    reusable_after timestamptz,
    version        bigint       not null default 0,
    constraint wwn_allocation_release_ck check ((released_at is null) = (reusable_after is null))
);
create unique index wwn_allocation_live_uk on wwn_allocation (wwn) where released_at is null;
create index wwn_allocation_wwn_idx on wwn_allocation (wwn, reusable_after);
create index wwn_allocation_pool_idx on wwn_allocation (pool_id, allocated_at desc);
create index wwn_allocation_vm_idx on wwn_allocation (vm_id) where released_at is null;

create table storage_array (
    id         bigserial primary key,
    name       varchar(128) not null,
    vendor     varchar(64)  not null,
    model      varchar(64),
    serial     varchar(64),
    version    bigint       not null default 0,
    created_at timestamptz  not null default now()
);
create unique index storage_array_name_uk on storage_array (lower(name));

create table target_port (
    id         bigserial primary key,
    array_id   bigint      not null references storage_array (id) on delete cascade,
    name       varchar(64) not null,
    wwpn       wwn         not null,
    fabric_id  bigint      not null references fabric (id),
    version    bigint      not null default 0,
    constraint target_port_name_uk unique (array_id, name)
);
create index target_port_fabric_idx on target_port (fabric_id);
create trigger target_port_wwpn_registry after insert or update or delete on target_port
    for each row execute function wwn_registry_sync('wwpn');

create table app_user (
    id            bigserial primary key,
    username      varchar(64)  not null,
    password_hash varchar(100) not null,
    role          varchar(16)  not null check (role in ('VIEWER', 'OPERATOR', 'APPROVER', 'ADMIN')),
    enabled       boolean      not null default true,
    version       bigint       not null default 0,
    created_at    timestamptz  not null default now()
);
create unique index app_user_username_uk on app_user (lower(username));
