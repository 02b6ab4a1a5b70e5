-- Several PBXs: the PBX of the call that booked a callback (a PBX id of ami.pbxs, or the address its FastAGI
-- connection came from; null when booked through the API), so that after a whole-cluster restart its Originate
-- still goes to that PBX when no PBX knows the agent's phone. One script for H2 (PostgreSQL mode) and PostgreSQL.
-- Versions 80-84 belong to several PBXs.

alter table callbacks add column pbx varchar(128);
