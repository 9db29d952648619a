-- An adapter never has more VFs than its SR-IOV total, checked per statement instead of per row: enabling the VFs
-- of hundreds of adapters in one statement (an estate import) checks them in one join. A statement that puts a VF
-- at or above its adapter's max_vfs still fails whole, with the same constraint name.
drop trigger vf_within_max_vfs on virtual_function;
drop function vf_index_within_adapter_limit();

create function vfs_within_adapter_limit() returns trigger
    language plpgsql as $$
declare
    beyond record;
begin
    select n.vf_index, a.max_vfs into beyond
      from new_rows n join adapter a on a.id = n.adapter_id
     where n.vf_index >= a.max_vfs
     limit 1;
    if found then
        raise exception 'VF index % is beyond the adapter''s maximum of % VFs', beyond.vf_index, beyond.max_vfs
            using errcode = 'check_violation', constraint = 'vf_within_max_vfs';
    end if;
    return null;
end $$;

-- transition tables allow one event per trigger and no column list
create trigger vf_within_max_vfs_on_insert after insert on virtual_function referencing new table as new_rows
    for each statement execute function vfs_within_adapter_limit();
create trigger vf_within_max_vfs_on_update after update on virtual_function referencing new table as new_rows
    for each statement execute function vfs_within_adapter_limit();
