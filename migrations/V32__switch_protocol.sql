-- How vfzone spoke to the fabric's switch at the last read that succeeded: its firmware and the dialect or modes that
-- firmware needs (Fabric OS zoning under /rest/running/zoning/ in XML before 8.2.1b, MDS enhanced or basic zoning).
alter table fabric_drift_check add column switch_protocol varchar(300);
