-- Devices seen on a fabric that an admin decided vfzone need not know (a backup server, a tape library, another
-- team's hosts): listed apart from the unknown logins, with who decided it and why.
create table ignored_login (
    wwpn       wwn          primary key,
    reason     varchar(255) not null check (length(trim(reason)) > 0),
    ignored_by varchar(64)  not null,
    ignored_at timestamptz  not null
);
