-- Contract v1.3: the ZNS templates of the OAs the gateway sends for, as a provider last described them
-- (vn.zalogateway.znstemplate owns both tables). A zns_journey message is checked against its template at accept.

create table zns_templates (
    oa_id           bigint       not null,
    template_id     bigint       not null,
    name            varchar(200),
    status          varchar(32)  not null,                  -- ENABLE, PENDING_REVIEW, REJECT, DISABLE, DELETE
    quality         varchar(32),                            -- HIGH, MEDIUM, LOW, UNDEFINED
    tag             varchar(32),                            -- OTP, IN_TRANSACTION, POST_TRANSACTION, ...
    params          text         not null,                  -- JSON array [{name, type, required, accept_null, min_length, max_length}]
    daily_quota     integer,
    remaining_quota integer,
    source          varchar(16)  not null,                  -- etelecom, esms: who answered
    checked_at      timestamptz  not null,                  -- when that provider answered
    primary key (oa_id, template_id)
);

-- When eTelecom last listed an OA's templates (GET /v1/oas/{oa_id}/templates asks again past gateway.templates.refresh).
create table zns_template_lists (
    oa_id     bigint      primary key,
    listed_at timestamptz not null
);

-- Whether a zns_journey message was checked against its template at accept: false when no provider could be asked
-- and nothing was known (null: a transaction message, or one accepted before this version).
alter table messages add column template_checked boolean;
