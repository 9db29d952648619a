-- Who is logged in to each fabric (its name server), as last discovered, and when logins came and went.
create table fabric_login (
    fabric_id     bigint       not null references fabric (id) on delete cascade,
    wwpn          wwn          not null,
    node_name     varchar(23),
    fcid          varchar(10),
    switch_port   varchar(64),
    symbolic_name varchar(255),
    fc4           varchar(64),
    first_seen    timestamptz  not null,
    last_seen     timestamptz  not null,
    primary key (fabric_id, wwpn)
);
create index fabric_login_wwpn_idx on fabric_login (wwpn);

create table fabric_login_event (
    id        bigserial primary key,
    fabric_id bigint      not null references fabric (id) on delete cascade,
    wwpn      wwn         not null,
    event     varchar(8)  not null check (event in ('LOGIN', 'LOGOUT')),
    fcid      varchar(10),
    at        timestamptz not null
);
create index fabric_login_event_wwpn_idx on fabric_login_event (wwpn, at desc);
create index fabric_login_event_fabric_idx on fabric_login_event (fabric_id, at desc);

create table fabric_discovery (
    fabric_id  bigint       not null primary key references fabric (id) on delete cascade,
    checked_at timestamptz  not null,
    status     varchar(16)  not null check (status in ('OK', 'UNREADABLE')),
    message    varchar(500),
    logins     integer      not null default 0
);
