-- The WWN registry is kept per statement instead of per row: one INSERT of thousands of VMs or WWPN pairs
-- (an estate import) updates the registry with one statement too. The guarantee is unchanged: a statement that
-- would give a WWN a second owner fails on the registry's primary key and is rolled back whole.
-- Transition tables allow one event per trigger, hence three triggers per WWN column.

drop trigger adapter_wwnn_registry on adapter;
drop trigger adapter_wwpn_registry on adapter;
drop trigger vm_wwnn_registry on vm;
drop trigger vm_identity_active_registry on vm_fabric_identity;
drop trigger vm_identity_standby_registry on vm_fabric_identity;
drop trigger target_port_wwpn_registry on target_port;
drop function wwn_registry_sync();

create function wwn_registry_inserted() returns trigger
    language plpgsql as $$
begin
    execute format('insert into wwn_registry (wwn, owner_table, owner_column, owner_id)
                    select n.%1$I, %2$L, %1$L, n.id from new_rows n where n.%1$I is not null',
                   TG_ARGV[0], TG_TABLE_NAME);
    return null;
end $$;

create function wwn_registry_updated() returns trigger
    language plpgsql as $$
begin
    execute format('delete from wwn_registry r using old_rows o join new_rows n on n.id = o.id
                     where o.%1$I is distinct from n.%1$I
                       and r.wwn = o.%1$I and r.owner_table = %2$L and r.owner_column = %1$L and r.owner_id = o.id',
                   TG_ARGV[0], TG_TABLE_NAME);
    execute format('insert into wwn_registry (wwn, owner_table, owner_column, owner_id)
                    select n.%1$I, %2$L, %1$L, n.id from old_rows o join new_rows n on n.id = o.id
                     where o.%1$I is distinct from n.%1$I and n.%1$I is not null',
                   TG_ARGV[0], TG_TABLE_NAME);
    return null;
end $$;

create function wwn_registry_deleted() returns trigger
    language plpgsql as $$
begin
    execute format('delete from wwn_registry r using old_rows o
                     where r.wwn = o.%1$I and r.owner_table = %2$L and r.owner_column = %1$L and r.owner_id = o.id',
                   TG_ARGV[0], TG_TABLE_NAME);
    return null;
end $$;

create procedure wwn_registry_track(tbl text, col text)
    language plpgsql as $$
begin
    execute format('create trigger %1$I after insert on %2$I referencing new table as new_rows
                    for each statement execute function wwn_registry_inserted(%3$L)',
                   tbl || '_' || col || '_registry_ins', tbl, col);
    execute format('create trigger %1$I after update on %2$I referencing old table as old_rows new table as new_rows
                    for each statement execute function wwn_registry_updated(%3$L)',
                   tbl || '_' || col || '_registry_upd', tbl, col);
    execute format('create trigger %1$I after delete on %2$I referencing old table as old_rows
                    for each statement execute function wwn_registry_deleted(%3$L)',
                   tbl || '_' || col || '_registry_del', tbl, col);
end $$;

call wwn_registry_track('adapter', 'wwnn');
call wwn_registry_track('adapter', 'wwpn');
call wwn_registry_track('vm', 'wwnn');
call wwn_registry_track('vm_fabric_identity', 'active_wwpn');
call wwn_registry_track('vm_fabric_identity', 'standby_wwpn');
call wwn_registry_track('target_port', 'wwpn');
drop procedure wwn_registry_track(text, text);
