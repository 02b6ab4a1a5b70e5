-- Agent desktop and supervisor dashboard users: who may sign in, with which roles, and for
-- agents their routing profile (phone endpoint, skills, languages). One script for H2
-- (PostgreSQL mode) and PostgreSQL. Version 20 leaves 1-19 to the CRM store's scripts.

create table users (
    id             varchar(64)  primary key,
    name           varchar(200) not null,
    -- Argon2id in the PHC string format: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    password_hash  varchar(255) not null,
    -- comma-separated, sorted: admin, agent, monitor, supervisor
    roles          varchar(100) not null,
    -- where to dial an agent, e.g. PJSIP/1001; null for users without the agent role
    endpoint       varchar(200),
    -- comma-separated language tags, e.g. en,fr
    languages      varchar(200) not null default '',
    enabled        boolean      not null default true,
    created_at     timestamp with time zone not null,
    updated_at     timestamp with time zone not null
);

-- an agent's skills and levels (1-10); the agent picks a subset at each login
create table user_skills (
    user_id  varchar(64) not null references users (id) on delete cascade,
    skill    varchar(64) not null,
    level    integer     not null check (level between 1 and 10),
    primary key (user_id, skill)
);
