-- A record's uid is unique within its board, not across the server: `mtui db copy`
-- puts a board next to its original on the same server, with the same uids.
DROP INDEX idx_task_uid;
DROP INDEX idx_goal_uid;
DROP INDEX idx_campaign_uid;
CREATE UNIQUE INDEX idx_task_uid ON task (board_id, uid);
CREATE UNIQUE INDEX idx_goal_uid ON goal (board_id, uid);
CREATE UNIQUE INDEX idx_campaign_uid ON campaign (board_id, uid);
