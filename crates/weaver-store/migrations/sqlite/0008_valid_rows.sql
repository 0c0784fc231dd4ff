-- Weaver register, migration 0008 (issue 16, time-valid rows): governance
-- roles are typed (chair, vice_chair, member, secretary, observer) and the
-- free text a role held is kept in the new column `note`.
--
-- Defaults, matched case-insensitively on the old text, in this order:
--   empty or none                                  -> member, no note
--   vice / deputy / 副                             -> vice_chair
--   chair / president / lead / head / 主席 / 理事长 / 组长 -> chair
--   secretar / 秘书                                -> secretary
--   observ / 观察                                  -> observer
--   anything else                                  -> member
-- The old text goes to `note` unless it was exactly the type's name. Where
-- this would make two chairs of one body at once, the migration does not
-- choose: the rule is enforced on the next write (see README).
ALTER TABLE governance ADD COLUMN note TEXT;
UPDATE governance SET note = role WHERE role IS NOT NULL AND TRIM(role) <> '';
UPDATE governance SET role = CASE
    WHEN role IS NULL OR TRIM(role) = '' THEN 'member'
    WHEN LOWER(role) LIKE '%vice%' OR LOWER(role) LIKE '%deputy%' OR role LIKE '%副%'
        THEN 'vice_chair'
    WHEN LOWER(role) LIKE '%chair%' OR LOWER(role) LIKE '%president%'
        OR LOWER(role) LIKE '%lead%' OR LOWER(role) LIKE '%head%'
        OR role LIKE '%主席%' OR role LIKE '%理事长%' OR role LIKE '%组长%'
        THEN 'chair'
    WHEN LOWER(role) LIKE '%secretar%' OR role LIKE '%秘书%' THEN 'secretary'
    WHEN LOWER(role) LIKE '%observ%' OR role LIKE '%观察%' THEN 'observer'
    ELSE 'member'
END;
UPDATE governance SET note = NULL WHERE note IS NOT NULL AND LOWER(TRIM(note)) = role;
