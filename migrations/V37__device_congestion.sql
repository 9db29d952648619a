-- What a switch itself says of each device at the last poll (Brocade FOS 9.0 traffic controller: congestion states and
-- FPINs sent; the name server's slow-drain device quarantine), replaced poll by poll.
create table device_congestion (
    fabric_id                   bigint        not null references fabric (id) on delete cascade,
    wwpn                        bigint        not null,
    read_at                     timestamptz   not null,
    congestion_states           varchar(200)  not null default '',
    quarantined                 boolean       not null default false,
    fpin_congestion_sent        bigint,
    fpin_peer_congestion_sent   bigint,
    fpin_link_integrity_sent    bigint,
    fpin_delivery_sent          bigint,
    primary key (fabric_id, wwpn)
);
