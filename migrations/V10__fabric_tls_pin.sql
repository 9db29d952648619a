-- A switch with a self-signed certificate is trusted by pinning that certificate, never by turning verification off.
alter table fabric add column tls_certificate_sha256 varchar(64)
    check (tls_certificate_sha256 is null or tls_certificate_sha256 ~ '^[0-9a-f]{64}$');
