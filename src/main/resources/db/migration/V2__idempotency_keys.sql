-- Idempotency-Keys: the first request to insert a key owns it; the unique key makes concurrent twins wait.
create table idempotency_keys (
    consumer        varchar(16)  not null,   -- hash prefix of the caller's API key
    operation       varchar(64)  not null,   -- e.g. 'POST /v1/journeys'
    idempotency_key varchar(255) not null,
    request_hash    char(64)     not null,   -- SHA-256 of the normalised request
    resource_id     uuid         not null,   -- the journey (or message) the request made
    created_at      timestamptz  not null,
    primary key (consumer, operation, idempotency_key)
);

create index idempotency_keys_created_at_idx on idempotency_keys (created_at);
