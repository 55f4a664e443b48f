-- Who may do what on a board, enforced by the server (row-level security).
--
-- Members are database roles listed in board_member as viewer, editor or admin.
-- A viewer reads; an editor also writes; an admin also manages the board's members.
-- The tables' owner (who runs `mtui db migrate` and `mtui team`) bypasses these
-- policies, as PostgreSQL owners do; clients connect as member roles, never as it.
-- Every table with a board_id gets the same four policies below: a migration that adds
-- such a table must add them too (tests/store/postgres/test_team.py checks).

CREATE TABLE board_member (
    board_id integer NOT NULL REFERENCES board (id),
    role_name text NOT NULL,
    access text NOT NULL CHECK (access IN ('viewer', 'editor', 'admin')),
    PRIMARY KEY (board_id, role_name)
);

-- The boards a role may read (min_access 'viewer') or write ('editor'). The policies
-- pass current_user: inside a SECURITY DEFINER function current_user is the owner.
-- SECURITY DEFINER: members need no right to read board_member themselves.
CREATE FUNCTION mtui_boards(min_access text, member text) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT board_id FROM board_member
    WHERE role_name = member
      AND CASE min_access
            WHEN 'viewer' THEN true
            WHEN 'editor' THEN access IN ('editor', 'admin')
            ELSE access = 'admin'
          END
$$;

CREATE FUNCTION mtui_access(board integer, member text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT access FROM board_member WHERE board_id = board AND role_name = member
$$;

DO $$
DECLARE
    t record;
    key text;
BEGIN
    FOR t IN
        SELECT c.table_name FROM information_schema.columns c
        JOIN information_schema.tables r
          ON r.table_schema = c.table_schema AND r.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND c.column_name = 'board_id'
          AND r.table_type = 'BASE TABLE'
        UNION SELECT 'board'
    LOOP
        key := CASE WHEN t.table_name = 'board' THEN 'id' ELSE 'board_id' END;
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.table_name);
        EXECUTE format(
            'CREATE POLICY member_read ON %I FOR SELECT USING (%I IN (SELECT mtui_boards(%L, current_user::text)))',
            t.table_name, key, 'viewer');
        EXECUTE format(
            'CREATE POLICY editor_insert ON %I FOR INSERT WITH CHECK (%I IN (SELECT mtui_boards(%L, current_user::text)))',
            t.table_name, key,
            CASE WHEN t.table_name = 'board_member' THEN 'admin' ELSE 'editor' END);
        EXECUTE format(
            'CREATE POLICY editor_update ON %I FOR UPDATE USING (%I IN (SELECT mtui_boards(%L, current_user::text)))',
            t.table_name, key,
            CASE WHEN t.table_name = 'board_member' THEN 'admin' ELSE 'editor' END);
        EXECUTE format(
            'CREATE POLICY editor_delete ON %I FOR DELETE USING (%I IN (SELECT mtui_boards(%L, current_user::text)))',
            t.table_name, key,
            CASE WHEN t.table_name = 'board_member' THEN 'admin' ELSE 'editor' END);
    END LOOP;
END
$$;
