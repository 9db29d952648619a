-- Ports announced as slow-draining, so each is announced once when it starts and again only after it recovered.
create table port_alert (
    fabric_id  bigint       not null references fabric (id) on delete cascade,
    port       varchar(64)  not null,
    since      timestamptz  not null,
    primary key (fabric_id, port)
);
