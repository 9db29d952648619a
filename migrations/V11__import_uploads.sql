-- Files of an estate import between its dry run and its apply: kept on the server (any node can apply them), for
-- the user who uploaded them, for a limited time.
create table import_upload (
    id         uuid         primary key,
    created_by varchar(64)  not null,
    created_at timestamptz  not null default now(),
    files      text         not null
);
create index import_upload_created_idx on import_upload (created_at);
