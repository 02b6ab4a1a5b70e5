-- Segments: named, saved filters over customers and their attributes, written in the flows'
-- expression language and compiled to SQL when counted (today() is the day of the count).
create table segments (
    name        varchar(64)   primary key,
    expression  varchar(4000) not null,
    description varchar(1000),
    updated_by  varchar(200),
    updated_at  timestamp with time zone not null
);
