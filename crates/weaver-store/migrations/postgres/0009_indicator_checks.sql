-- Weaver register, migration 0009: indicators carry their validation.
-- min_value / max_value: the range an observation's value must lie in
-- (inclusive; none = no bound); integer_only: the value must be a whole
-- number; jump_factor: a value more than this factor above or below the
-- cluster's value of the previous period must be confirmed (none = the
-- default of 3; 0 = no check). Existing indicators get no checks (NULL).
ALTER TABLE indicators ADD COLUMN min_value DOUBLE PRECISION;
ALTER TABLE indicators ADD COLUMN max_value DOUBLE PRECISION;
ALTER TABLE indicators ADD COLUMN integer_only BIGINT;
ALTER TABLE indicators ADD COLUMN jump_factor DOUBLE PRECISION;
-- A member who disputes a tie (confirmed = 0) may say why: the note is kept
-- with the answer (none for answers given before).
ALTER TABLE tie_confirmations ADD COLUMN note TEXT;
