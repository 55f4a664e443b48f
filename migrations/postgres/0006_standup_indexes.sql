-- Indexes that keep the stand-up report quick on a big board with a long history (the
-- SQLite stream's 0007_standup_indexes): a task's entries for one field (when it
-- entered its column, when it was blocked), and the open columns' tasks by due date.
CREATE INDEX idx_task_event_task_field ON task_event (board_id, task_id, field);
CREATE INDEX idx_task_open_due ON task (board_id, status_id, due) WHERE deleted_at IS NULL;
