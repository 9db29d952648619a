-- Work vfzone does by itself for a person (a provisioning job, a change window) names both: the worker as the actor
-- and the person it acted for.
alter table audit_event add column on_behalf_of varchar(64);
create index audit_event_on_behalf_idx on audit_event (lower(on_behalf_of)) where on_behalf_of is not null;
