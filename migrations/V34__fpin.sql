-- Hosts' Fabric Performance Impact Notification (FPIN) and congestion-signal counters, as their collectors reported
-- them (only when they changed): per FC host port (its WWPN, remote_wwpn 0) and per remote port it sees (the target's
-- WWPN). Cumulative since the host's driver loaded; increases are derived when read.
create table fpin_sample (
    wwpn                      bigint      not null,
    remote_wwpn               bigint      not null default 0,
    read_at                   timestamptz not null,
    fpin_dn                   bigint,
    fpin_li                   bigint,
    fpin_cn                   bigint,
    fpin_cn_credit_stall      bigint,
    fpin_cn_oversubscription  bigint,
    fpin_cn_lost_credit       bigint,
    cn_sig_warn               bigint,
    cn_sig_alarm              bigint,
    primary key (wwpn, remote_wwpn, read_at)
);
create index fpin_sample_read_at_brin on fpin_sample using brin (read_at);
