-- What a vfzone zone names (alias names or WWNs, targets marked), so drift sees a member swapped for another alias
-- that happens to resolve to the same WWPN today.
alter table owned_zone_object add column member_names text;
