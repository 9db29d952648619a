-- One person, one row: every way in (form, HTTP Basic, directory, API token) resolves to an app_user id, and
-- four-eyes rules compare those ids, never the names people typed.

-- Directory and single sign-on users get a row of their own on their first sign-in, keyed by their directory entry
-- (its DN) or by their OpenID Connect issuer and subject. They have no password here; their role and scope are those
-- their groups gave at their last sign-in.
alter table app_user add column source varchar(16) not null default 'LOCAL'
    check (source in ('LOCAL', 'DIRECTORY', 'OIDC'));
alter table app_user add column external_id varchar(1000);
alter table app_user alter column password_hash drop not null;
alter table app_user add constraint app_user_source_ck check (
    (source = 'LOCAL' and password_hash is not null and external_id is null)
    or (source <> 'LOCAL' and password_hash is null and external_id is not null));
create unique index app_user_external_id_uk on app_user (source, external_id) where external_id is not null;

-- A token acts for the user who made it, with that user's rights at most, checked on every request.
alter table api_token add column created_by_user_id bigint references app_user (id) on delete cascade;
update api_token t set created_by_user_id = u.id from app_user u where lower(u.username) = lower(t.created_by);
-- a token whose maker is unknown cannot be checked against anyone's rights: it stops
update api_token set revoked = true where created_by_user_id is null;
alter table api_token add constraint api_token_maker_ck check (revoked or created_by_user_id is not null);
alter table api_token add column all_fabrics boolean not null default true;
create table api_token_fabric (
    token_id  bigint not null references api_token (id) on delete cascade,
    fabric_id bigint not null references fabric (id) on delete cascade,
    primary key (token_id, fabric_id)
);
create index api_token_fabric_fabric_idx on api_token_fabric (fabric_id);

-- Four eyes by identity: the database refuses an approval by the planner whatever name either typed. Existing rows
-- take the person their stored name stands for: a user of that name, or the maker of a token ('token:<name>').
create function pg_temp.person_of(principal text) returns bigint language sql stable as $$
    select coalesce((select u.id from app_user u where lower(u.username) = lower(principal)),
                    (select t.created_by_user_id from api_token t where 'token:' || lower(t.name) = lower(principal)))
$$;

alter table change_set add column created_by_user_id bigint references app_user (id);
alter table change_set add column approved_by_user_id bigint references app_user (id);
update change_set set created_by_user_id = pg_temp.person_of(created_by),
                      approved_by_user_id = pg_temp.person_of(approved_by);
alter table change_set add constraint change_set_four_eyes_id_ck
    check (approved_by_user_id is null or approved_by_user_id <> created_by_user_id);

alter table standard_change_policy add column proposed_by_user_id bigint references app_user (id);
alter table standard_change_policy add column approved_by_user_id bigint references app_user (id);
update standard_change_policy set proposed_by_user_id = pg_temp.person_of(proposed_by),
                                  approved_by_user_id = pg_temp.person_of(approved_by);
alter table standard_change_policy add constraint standard_change_policy_four_eyes_id_ck
    check (approved_by_user_id is null or approved_by_user_id <> proposed_by_user_id);
