-- A notification channel may hear of chosen fabrics only (empty: every fabric).
alter table notification_channel add column fabric_ids bigint[] not null default '{}';
