-- Consumers (contract v1.1): each calling system has its own keys, OAs and data. The built-in
-- consumer "default" owns the keys of gateway.api-key-hashes and every row made before consumers
-- existed, so no deployment changes behaviour with this version.
create table consumers (
    id                     uuid          primary key,
    name                   varchar(64)   not null unique,
    all_oas                boolean       not null default false,     -- oa_ids ["*"]
    oa_ids                 bigint[]      not null default '{}',
    callback_url           varchar(2000),
    rate_limit_per_second  integer,
    built_in               boolean       not null default false,     -- "default": keys from configuration
    created_at             timestamptz   not null,
    updated_at             timestamptz   not null,
    constraint consumers_name_form check (name ~ '^[a-z0-9-]{1,64}$')
);

insert into consumers (id, name, all_oas, built_in, created_at, updated_at)
values ('00000000-0000-7000-8000-000000000001', 'default', true, true, now(), now());

-- API keys by their SHA-256; a revoked key stops working at once (every replica is told: NOTIFY).
create table consumer_keys (
    id           uuid         primary key,
    consumer_id  uuid         not null references consumers (id),
    key_hash     char(64)     not null unique,
    created_at   timestamptz  not null,
    revoked_at   timestamptz
);
create index consumer_keys_consumer_idx on consumer_keys (consumer_id);

-- Callback signing secrets, encrypted at rest (AES-GCM, gateway.secrets.key): they must be usable to
-- sign. A rotated secret keeps signing beside its successor until retires_at.
create table callback_secrets (
    id           uuid         primary key,
    consumer_id  uuid         not null references consumers (id),
    sealed       text         not null,                               -- base64 of nonce, ciphertext and tag
    created_at   timestamptz  not null,
    retires_at   timestamptz
);
create index callback_secrets_consumer_idx on callback_secrets (consumer_id);

alter table journeys add column consumer_id uuid not null default '00000000-0000-7000-8000-000000000001'
    references consumers (id);
alter table journeys alter column consumer_id drop default;
alter table messages add column consumer_id uuid not null default '00000000-0000-7000-8000-000000000001'
    references consumers (id);
alter table messages alter column consumer_id drop default;
create index journeys_consumer_idx on journeys (consumer_id, id desc);
create index messages_consumer_idx on messages (consumer_id, id desc);

-- Idempotency-Keys are per consumer: the consumer's id, no longer a prefix of the key's hash.
alter table idempotency_keys alter column consumer type varchar(64);
-- Every key so far came from gateway.api-key-hashes, so every stored Idempotency-Key is the default
-- consumer's: a retry across the upgrade still replays. Where two keys used one Idempotency-Key, the newest wins.
delete from idempotency_keys k where exists (
    select 1 from idempotency_keys o where o.operation = k.operation and o.idempotency_key = k.idempotency_key
        and (o.created_at, o.consumer) > (k.created_at, k.consumer));
update idempotency_keys set consumer = '00000000-0000-7000-8000-000000000001';
