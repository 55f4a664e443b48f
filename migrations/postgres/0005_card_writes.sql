-- A card write in one round trip: each mtui_*_task function below is one statement a
-- client sends (its own transaction) doing what PgSession.write() does in several:
-- lock the board row, check the task and its version, change it, log each field with
-- the actor, take the next feed position, write the feed entry and notify listeners.
-- They run as the caller (SECURITY INVOKER), so row-level security decides as for any
-- other write. Errors carry mtui's own SQLSTATEs, which the client turns into its
-- errors (session.translate): MTRO1 a viewer, MTGN1 the board is gone, MTNF1 no such
-- task, MTCF1 a stale version.

-- The board row, locked until commit (writers on one board go one after another, so
-- feed positions are in commit order); its current position.
CREATE FUNCTION mtui_lock_board(p_board integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    at_seq bigint;
BEGIN
    SELECT seq INTO at_seq FROM board WHERE id = p_board FOR UPDATE;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM board WHERE id = p_board) THEN
            RAISE EXCEPTION 'read-only: you are a viewer on this board' USING ERRCODE = 'MTRO1';
        END IF;
        RAISE EXCEPTION 'the board no longer exists' USING ERRCODE = 'MTGN1';
    END IF;
    RETURN at_seq;
END
$$;

-- The board's position moves to p_seq (one above what mtui_lock_board returned), with
-- its feed entry; the feed is pruned every p_prune_every positions, keeping p_keep.
CREATE FUNCTION mtui_feed_entry(
    p_board integer, p_seq bigint, p_at text, p_actor text, p_action text, p_topics text,
    p_task_ids text, p_keep bigint, p_prune_every bigint
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE board SET seq = p_seq WHERE id = p_board;
    INSERT INTO change_feed (board_id, seq, at, actor, action_id, topics, task_ids)
    VALUES (p_board, p_seq, p_at, p_actor, p_action, p_topics, p_task_ids);
    IF p_seq % p_prune_every = 0 THEN
        DELETE FROM change_feed WHERE board_id = p_board AND seq <= p_seq - p_keep;
    END IF;
    -- The payload is the board and the position only: NOTIFY ignores row-level security.
    PERFORM pg_notify('mtui_feed', p_board || ':' || p_seq);
END
$$;

-- The live task, checked against the version the client saw (NULL: no check).
CREATE FUNCTION mtui_checked_task(
    p_board integer, p_task bigint, p_expected integer, p_deleted_ok boolean
) RETURNS task
LANGUAGE plpgsql AS $$
DECLARE
    cur task;
BEGIN
    SELECT * INTO cur FROM task WHERE board_id = p_board AND id = p_task;
    IF NOT FOUND OR (cur.deleted_at IS NOT NULL AND NOT p_deleted_ok) THEN
        RAISE EXCEPTION 'no task #%', p_task USING ERRCODE = 'MTNF1';
    END IF;
    IF p_expected IS NOT NULL AND cur.version <> p_expected THEN
        RAISE EXCEPTION 'task #% was changed elsewhere (version %, you had %); nothing was saved',
            p_task, cur.version, p_expected USING ERRCODE = 'MTCF1';
    END IF;
    RETURN cur;
END
$$;

-- Change the fields p_fields to the JSON values p_values (in that order; tags as a JSON
-- array). Only fields whose value really changes are written and logged ('moved' for the
-- column and position, 'changed' for the rest); none: the task as it is, no position
-- taken. Entering a done column sets done_at, leaving one clears it.
CREATE FUNCTION mtui_update_task(
    p_board integer, p_task bigint, p_expected integer, p_fields text[], p_values jsonb,
    p_action text, p_undo_of text, p_actor text, p_at text, p_keep bigint, p_prune_every bigint
) RETURNS SETOF task
LANGUAGE plpgsql AS $$
DECLARE
    at_seq bigint := mtui_lock_board(p_board);
    cur task := mtui_checked_task(p_board, p_task, p_expected, false);
    nxt task;
    changed text[] := '{}';
    olds jsonb[] := '{}';
    news jsonb[] := '{}';
    patch jsonb := '{}';
    old_value jsonb;
    new_value jsonb;
    was_done boolean;
    now_done boolean;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_fields, 1), 0) LOOP
        new_value := p_values -> (i - 1);
        old_value := CASE p_fields[i]
                         WHEN 'tags' THEN coalesce(cur.tags, '[]')::jsonb
                         WHEN 'notes' THEN to_jsonb(coalesce(cur.notes, ''))
                         -- a whole position logged as 3.0, as a client writes a float
                         WHEN 'position' THEN CASE WHEN cur.position::text ~ '^-?[0-9]+$'
                             THEN (cur.position::text || '.0')::jsonb
                             ELSE to_jsonb(cur.position) END
                         ELSE to_jsonb(cur) -> p_fields[i] END;
        IF old_value IS DISTINCT FROM new_value THEN
            changed := changed || p_fields[i];
            olds := olds || old_value;
            news := news || new_value;
            patch := patch || jsonb_build_object(p_fields[i], CASE WHEN p_fields[i] = 'tags'
                THEN to_jsonb(new_value::text) ELSE new_value END);
        END IF;
    END LOOP;
    IF cardinality(changed) = 0 THEN
        RETURN NEXT cur;
        RETURN;
    END IF;
    nxt := jsonb_populate_record(cur, patch);
    IF 'status_id' = ANY (changed) THEN
        SELECT is_done <> 0 INTO was_done FROM status WHERE board_id = p_board AND id = cur.status_id;
        SELECT is_done <> 0 INTO now_done FROM status WHERE board_id = p_board AND id = nxt.status_id;
        IF coalesce(now_done, false) AND NOT coalesce(was_done, false) THEN
            nxt.done_at := p_at;
        ELSIF coalesce(was_done, false) AND NOT coalesce(now_done, false) THEN
            nxt.done_at := NULL;
        END IF;
    END IF;
    UPDATE task SET title = nxt.title, notes = nxt.notes, status_id = nxt.status_id,
        position = nxt.position, priority = nxt.priority, owner = nxt.owner,
        due = nxt.due, channel_id = nxt.channel_id, campaign_id = nxt.campaign_id,
        goal_id = nxt.goal_id, tags = nxt.tags, estimate_minutes = nxt.estimate_minutes,
        blocked_reason = nxt.blocked_reason, done_at = nxt.done_at, updated_at = p_at,
        version = task.version + 1
    WHERE task.board_id = p_board AND task.id = p_task
    RETURNING * INTO nxt;
    INSERT INTO task_event (board_id, task_id, at, kind, field, old, new, action_id, undo_of,
                            seq, actor)
    SELECT p_board, p_task, p_at,
           CASE WHEN c.field IN ('status_id', 'position') THEN 'moved' ELSE 'changed' END,
           c.field, nullif(c.was, 'null'::jsonb)::text, nullif(c.now, 'null'::jsonb)::text,
           p_action, p_undo_of, at_seq + 1, p_actor
    FROM unnest(changed, olds, news) WITH ORDINALITY AS c (field, was, now, n)
    ORDER BY c.n;
    PERFORM mtui_feed_entry(p_board, at_seq + 1, p_at, p_actor, p_action, 'tasks',
                            '[' || p_task || ']', p_keep, p_prune_every);
    RETURN NEXT nxt;
END
$$;

-- A new task from p_row (column → value, tags as JSON text; created and updated now
-- unless it says when), numbered one above the board's highest; in a done column it is done now unless p_row says when
-- (p_done_now). Logged as 'created' with its title.
CREATE FUNCTION mtui_create_task(
    p_board integer, p_row jsonb, p_done_now boolean, p_action text, p_actor text,
    p_at text, p_keep bigint, p_prune_every bigint
) RETURNS SETOF task
LANGUAGE plpgsql AS $$
DECLARE
    at_seq bigint := mtui_lock_board(p_board);
    new_id bigint;
    cols text;
    created task;
BEGIN
    SELECT coalesce(max(id), 0) + 1 INTO new_id FROM task WHERE board_id = p_board;
    IF p_done_now AND EXISTS (SELECT 1 FROM status WHERE board_id = p_board
                              AND id = (p_row ->> 'status_id')::bigint AND is_done <> 0) THEN
        p_row := p_row || jsonb_build_object('done_at', p_at);
    END IF;
    p_row := jsonb_build_object('created_at', p_at, 'updated_at', p_at) || p_row
             || jsonb_build_object('board_id', p_board, 'id', new_id);
    SELECT string_agg(quote_ident(k), ', ') INTO cols FROM jsonb_object_keys(p_row) AS k;
    EXECUTE format('INSERT INTO task (%s) SELECT %s FROM jsonb_populate_record(NULL::task, $1)',
                   cols, cols) USING p_row;
    INSERT INTO task_event (board_id, task_id, at, kind, new, action_id, seq, actor)
    VALUES (p_board, new_id, p_at, 'created', nullif(p_row -> 'title', 'null'::jsonb)::text,
            p_action, at_seq + 1, p_actor);
    PERFORM mtui_feed_entry(p_board, at_seq + 1, p_at, p_actor, p_action, 'tasks',
                            '[' || new_id || ']', p_keep, p_prune_every);
    SELECT * INTO created FROM task WHERE board_id = p_board AND id = new_id;
    RETURN NEXT created;
END
$$;

-- Delete a live task (p_restore false, checked against p_expected) or restore a
-- deleted one (p_restore true; a live one is returned as it is, no position taken).
CREATE FUNCTION mtui_delete_task(
    p_board integer, p_task bigint, p_expected integer, p_restore boolean, p_action text,
    p_undo_of text, p_actor text, p_at text, p_keep bigint, p_prune_every bigint
) RETURNS SETOF task
LANGUAGE plpgsql AS $$
DECLARE
    at_seq bigint := mtui_lock_board(p_board);
    cur task := mtui_checked_task(p_board, p_task, p_expected, p_restore);
    nxt task;
BEGIN
    IF p_restore AND cur.deleted_at IS NULL THEN
        RETURN NEXT cur;
        RETURN;
    END IF;
    UPDATE task SET deleted_at = CASE WHEN p_restore THEN NULL ELSE p_at END,
        updated_at = p_at, version = task.version + 1
    WHERE task.board_id = p_board AND task.id = p_task
    RETURNING * INTO nxt;
    INSERT INTO task_event (board_id, task_id, at, kind, action_id, undo_of, seq, actor)
    VALUES (p_board, p_task, p_at, CASE WHEN p_restore THEN 'restored' ELSE 'deleted' END,
            p_action, p_undo_of, at_seq + 1, p_actor);
    PERFORM mtui_feed_entry(p_board, at_seq + 1, p_at, p_actor, p_action, 'tasks',
                            '[' || p_task || ']', p_keep, p_prune_every);
    RETURN NEXT nxt;
END
$$;
