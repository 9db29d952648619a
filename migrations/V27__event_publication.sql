-- Spring Modulith's event publication registry: an event a module publishes is written here in the publishing
-- transaction, once per listener of another module, and removed when that listener has handled it; what a failing
-- listener or a stopped node left is handed to the listener again (EventRedelivery). The layout is the one
-- spring-modulith-events-jdbc 2.x expects for PostgreSQL.
create table event_publication (
    id                     uuid                     not null primary key,
    listener_id            text                     not null,
    event_type             text                     not null,
    serialized_event       text                     not null,
    publication_date       timestamp with time zone not null,
    completion_date        timestamp with time zone,
    status                 text,
    completion_attempts    int,
    last_resubmission_date timestamp with time zone
);
create index event_publication_serialized_event_hash_idx on event_publication using hash (serialized_event);
create index event_publication_by_completion_date_idx on event_publication (completion_date);

-- a zoning event handed to the notification module twice (redelivered after a failure) writes its deliveries once
alter table notification_delivery add column event_id uuid;
create unique index notification_delivery_event_uk on notification_delivery (channel_id, event_id);
