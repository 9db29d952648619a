-- The database is the provisioning job queue: a job is advanced when it is due, by whichever node claims it first.
-- A claim leases the job; the lease's end is also its next due time, so a job whose node stops is taken over when
-- the lease lapses. A trigger (a change set approved, pushed, failed, stale or cancelled) only makes a job due.
alter table provision_job add column due_at timestamptz;
alter table provision_job add column lease_until timestamptz;
update provision_job set due_at = now() where status in ('RUNNING', 'WAITING_APPROVAL');
create index provision_job_due_idx on provision_job (due_at) where due_at is not null;

-- A finished job of a VM since decommissioned no longer holds its name: a new request starts a new job.
alter table provision_job add column superseded boolean not null default false;
drop index provision_job_key_uk;
create unique index provision_job_key_uk on provision_job (kind, job_key) where not superseded;
