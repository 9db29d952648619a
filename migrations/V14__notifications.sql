-- Notification channels (e-mail addresses or a webhook URL) and the deliveries owed to them. A delivery is
-- written in the transaction that records what it tells (an outbox), then sent and retried by a scheduled job.
create table notification_channel (
    id          bigserial    primary key,
    name        varchar(64)  not null,
    kind        varchar(8)   not null check (kind in ('EMAIL', 'WEBHOOK')),
    target      varchar(1000) not null,
    secret_enc  varchar(512),
    events      varchar(400) not null,
    enabled     boolean      not null default true,
    created_by  varchar(64)  not null,
    created_at  timestamptz  not null default now(),
    version     bigint       not null default 0,
    constraint notification_channel_secret_ck check (kind = 'WEBHOOK' or secret_enc is null)
);
create unique index notification_channel_name_uk on notification_channel (lower(name));

create table notification_delivery (
    id              bigserial     primary key,
    channel_id      bigint        not null references notification_channel (id) on delete cascade,
    event           varchar(32)   not null,
    subject         varchar(500)  not null,
    payload         text          not null,
    status          varchar(8)    not null default 'PENDING' check (status in ('PENDING', 'SENT', 'FAILED')),
    attempts        int           not null default 0,
    next_attempt_at timestamptz   not null default now(),
    last_error      varchar(1000),
    created_at      timestamptz   not null default now(),
    sent_at         timestamptz
);
create index notification_delivery_due_idx on notification_delivery (next_attempt_at) where status = 'PENDING';
create index notification_delivery_channel_idx on notification_delivery (channel_id, created_at desc);
