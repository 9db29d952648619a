-- How vfzone reaches a fabric's switch (endpoint, user, encrypted password, pinned certificate) belongs to the zoning
-- module, which connects to switches; the inventory's fabric row keeps what the fabric is.
create table fabric_connection (
    fabric_id               bigint       primary key references fabric (id) on delete cascade,
    management_url          varchar(255),
    management_username     varchar(128),
    management_password_enc varchar(512),
    tls_certificate_sha256  varchar(64)
        check (tls_certificate_sha256 is null or tls_certificate_sha256 ~ '^[0-9a-f]{64}$'),
    version                 bigint       not null default 0
);

insert into fabric_connection (fabric_id, management_url, management_username, management_password_enc,
                               tls_certificate_sha256)
select id, management_url, management_username, management_password_enc, tls_certificate_sha256 from fabric;

alter table fabric drop column management_url, drop column management_username,
    drop column management_password_enc, drop column tls_certificate_sha256;
