-- How vfzone names initiators and targets on a Cisco MDS fabric: device-aliases (fabric-wide, their own session)
-- or fcaliases (per VSAN, committed with the zones). Other vendors have one kind of alias.
alter table fabric add column alias_kind varchar(16) not null default 'device-alias'
    check (alias_kind in ('device-alias', 'fcalias'));
