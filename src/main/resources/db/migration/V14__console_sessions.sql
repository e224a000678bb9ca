-- Operators' sessions (vn.zalogateway.console.signin), held across replicas. A session cookie names the
-- session version of its operator; each console request reads that operator's row (one primary-key lookup)
-- and a cookie of an older version is no session. Signing out bumps the version, which ends every session
-- of that operator on every replica, a copied cookie too. The fingerprint is of the operator's configured
-- role and password hash: a sign-in under a changed password or role bumps the version as well.
create table console_operators (
    name             varchar(64)   primary key,
    fingerprint      varchar(64)   not null,
    session_version  bigint        not null,
    updated_at       timestamptz   not null
);

-- Sign-in attempts per operator name ('name:<name>') and per client address ('address:<ip or IPv6 /64>'):
-- one counter per key and window, counted up in the statement that lets an attempt go on to bcrypt, so
-- parallel guesses cannot pass the limit. A window that ended starts again at 1; rows of ended windows
-- are deleted by the sign-in itself, now and then.
create table console_sign_in_attempts (
    key             varchar(100)  primary key,
    window_started  timestamptz   not null,
    attempts        integer       not null
);
create index console_sign_in_attempts_window_idx on console_sign_in_attempts (window_started);
