-- Each claim of an outbox row gets its own token; every outcome is written only under the token that
-- claimed it, so a dispatcher whose lease ran out can no longer overwrite what another one now holds.
alter table messages add column claim uuid;
