-- The congestion thresholds an ADMIN set (one row; without it the configured defaults apply).
create table congestion_setting (
    id                   smallint         primary key check (id = 1),
    tx_wait_percent      double precision not null check (tx_wait_percent >= 0.1 and tx_wait_percent <= 100),
    cause_share_percent  double precision not null check (cause_share_percent >= 1 and cause_share_percent <= 100),
    updated_by           varchar(128)     not null,
    updated_at           timestamptz      not null
);
