-- Takes the locks a revision's statements need before they run: {{locks}} (each "MODE:table"), waiting at most
-- {{timeout}} at a time. A revision that waited behind a long transaction would queue every reader and writer of
-- the table behind itself, so after each wait it lets go of everything and retries after 1, 2, 4, ... seconds,
-- saying so; after {{attempts}} tries it fails, naming the table and the sessions that hold it, and its transaction,
-- rolled back, has changed nothing. Once it has the locks, its statements find them held and wait no more.
-- In a revision that runs outside a transaction (one that builds an index concurrently), each statement commits on
-- its own, so the statement that needs the locks is given to this block and runs in it, after the LOCK TABLEs.
-- (GitLab's with_lock_retries, in PL/pgSQL; filled in by TakeTableLocksChange.)
-- A deploy that dies while this waits leaves with its next warning: the server finds its client gone when it sends
-- it, at most deploy.lock_timeout later, and ends the session (DeployLockTest).
DO $$
DECLARE
  locks text[] := ARRAY[{{locks}}];
  attempts integer := {{attempts}};
  lock_entry text;
  waiting_for text;
  holders text;
BEGIN
  FOR attempt IN 1 .. attempts LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '{{timeout}}', true);
      FOREACH lock_entry IN ARRAY locks LOOP
        waiting_for := split_part(lock_entry, ':', 2);
        -- A table that is gone already (a rollback run again after it dropped it) needs no lock; a statement that
        -- needs it fails on its own.
        CONTINUE WHEN to_regclass(waiting_for) IS NULL;
        EXECUTE format('LOCK TABLE %s IN %s MODE', waiting_for, split_part(lock_entry, ':', 1));
      END LOOP;
      -- lock_timeout stays: a statement after this that needs a lock on another table (the one a new foreign key
      -- refers to) gives up as soon, and the revision fails with nothing changed, rather than wait behind a long
      -- transaction while it holds these locks.
      {{statement}}
      RETURN;
    -- A deadlock with a session that locks the same tables in the other order is given up the same way.
    EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
      SELECT string_agg(format('pid %s (%s, for %s: %s)', a.pid, l.mode, date_trunc('second', clock_timestamp() - coalesce(a.xact_start, a.query_start)),
                               left(regexp_replace(a.query, '\s+', ' ', 'g'), 60)), ', ')
        INTO holders
        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.relation = waiting_for::regclass AND l.granted AND l.pid <> pg_backend_pid();
      IF attempt = attempts THEN
        RAISE EXCEPTION 'gave up waiting for table % after % tries of %: held by %; {{outcome}}',
          waiting_for, attempts, '{{timeout}}', coalesce(holders, 'a session that has finished since')
          USING ERRCODE = 'lock_not_available';
      END IF;
      RAISE WARNING 'waiting for table %, held by %; trying again in % s (try % of %)',
        waiting_for, coalesce(holders, 'a session that has finished since'), 2 ^ (attempt - 1), attempt + 1, attempts;
      PERFORM pg_sleep(2 ^ (attempt - 1));
    END;
  END LOOP;
END
$$
