-- Typed customer attributes (crm.attributes): values stay text in a canonical form (dates
-- YYYY-MM-DD, booleans true/false); a declared number is also kept as a number, so that
-- segments compare it as one and the index serves ranges.
alter table customer_attributes add column attr_number decimal(38, 10);
create index customer_attributes_by_number on customer_attributes (attr_name, attr_number);
