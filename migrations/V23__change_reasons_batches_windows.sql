-- Why a change is made (free text and a ticket reference), shown in the review, the audit and the notifications.
alter table change_set add column reason text;
alter table change_set add column ticket text;
alter table change_set add constraint change_set_reason_len_ck check (length(reason) <= 2000);
alter table change_set add constraint change_set_ticket_ck check (ticket ~ '^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,63}$');

-- The change sets one plan made (one per fabric) share a batch and are approved together.
alter table change_set add column plan_batch uuid;
create index change_set_plan_batch_idx on change_set (plan_batch) where plan_batch is not null;

-- An optional change window set by the approver: an approved change set pushes only inside it, by itself when the
-- window opens if the approver asked for that.
alter table change_set add column window_start timestamptz;
alter table change_set add column window_end timestamptz;
alter table change_set add column push_in_window boolean not null default false;
alter table change_set add constraint change_set_window_ck check (
    (window_start is null and window_end is null and not push_in_window)
    or (window_start is not null and window_end is not null and window_end > window_start));
create index change_set_window_due_idx on change_set (window_start) where push_in_window and status = 'APPROVED';
