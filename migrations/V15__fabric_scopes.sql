-- A user's role applies on every fabric, or only on the fabrics listed for them (SANnav's "area of
-- responsibility"): plan, approve, push and adopt check it. Reads stay global.
alter table app_user add column all_fabrics boolean not null default true;

create table app_user_fabric (
    user_id   bigint not null references app_user (id) on delete cascade,
    fabric_id bigint not null references fabric (id) on delete cascade,
    primary key (user_id, fabric_id)
);
create index app_user_fabric_fabric_idx on app_user_fabric (fabric_id);
