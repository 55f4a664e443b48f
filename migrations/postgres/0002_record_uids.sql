-- Mirrors SQLite's 0006_record_uids: a stable identity for tasks, goals and campaigns
-- that travels with an export, so `mtui import` recognises a record already here.
-- Existing rows get a random uid; new rows get one by default.

ALTER TABLE task ADD COLUMN uid text DEFAULT replace(gen_random_uuid()::text, '-', '');
ALTER TABLE goal ADD COLUMN uid text DEFAULT replace(gen_random_uuid()::text, '-', '');
ALTER TABLE campaign ADD COLUMN uid text DEFAULT replace(gen_random_uuid()::text, '-', '');
UPDATE task SET uid = replace(gen_random_uuid()::text, '-', '') WHERE uid IS NULL;
UPDATE goal SET uid = replace(gen_random_uuid()::text, '-', '') WHERE uid IS NULL;
UPDATE campaign SET uid = replace(gen_random_uuid()::text, '-', '') WHERE uid IS NULL;
CREATE UNIQUE INDEX idx_task_uid ON task (uid);
CREATE UNIQUE INDEX idx_goal_uid ON goal (uid);
CREATE UNIQUE INDEX idx_campaign_uid ON campaign (uid);
