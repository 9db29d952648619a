-- Name lookups ignore case with upper(), as the repositories' derived queries compare; the unique indexes on
-- lower(name) keep names unique and ordered but cannot serve those lookups, so an import of thousands of VMs
-- scanned the whole table for every row.
create index vm_name_upper_idx on vm (upper(name));
create index host_name_upper_idx on host (upper(name));
create index storage_array_name_upper_idx on storage_array (upper(name));
create index target_port_name_upper_idx on target_port (array_id, upper(name));
