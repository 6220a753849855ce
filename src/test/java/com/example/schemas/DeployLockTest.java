package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Liquibase's lock is a PostgreSQL session lock (liquibase-sessionlock). A deploy killed with kill -9 while a
 * revision waits for its table takes it with its connection, and its revision's transaction too, so the next deploy
 * starts at once and applies everything (with Liquibase's own lock row, it waited five minutes and failed); two
 * live deploys still take turns.
 */
class DeployLockTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("pharmafleet");
    @RegisterExtension
    static final TestDatabase concurrent = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase busy = TestDatabase.forSystem("pharmafleet");
    @RegisterExtension
    static final TestDatabase online = TestDatabase.forSystem("pharmafleet");
    @RegisterExtension
    static final TestDatabase resumed = TestDatabase.forSystem("pharmafleet");
    @RegisterExtension
    static final TestDatabase reference = TestDatabase.forSystem("pharmafleet");

    private static final String WAITING_ON_ORDER = """
            SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE NOT l.granted AND l.relation = 'pharmafleet."order"'::regclass AND a.datname = current_database()
            """;

    @Test
    void aDeployKilledMidRevisionLeavesNoLockAndNoPartOfTheRevisionAndTheNextDeployAppliesEverything() throws Exception {
        db.updateToTag("b7e4d2f1a3c9");
        SortedSet<String> before = db.snapshot();

        Process deploy;
        try (Connection reader = db.connect(); Statement read = reader.createStatement()) {
            reader.setAutoCommit(false);
            read.execute("SELECT count(*) FROM pharmafleet.\"order\"");
            deploy = start(db, outputFile(), "liquibase:update", "-Dliquibase.labelFilter=pharmafleet");
            awaitWaitingOnOrder();
            deploy.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            deploy.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            // Its session finds its client gone at its next warning and ends (its tries alone would take 37 s), while
            // the reader is still there: it neither holds
            // up the readers and writers queued behind it nor takes the lock later and goes on.
            String readerPid = db.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'")
                    .get(0).get(0);
            awaitQuery(db, "SELECT 1 - count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    + " AND pid <> " + readerPid, 10);
            reader.commit();
        }
        awaitNoOtherSession();
        TestDatabase.assertSameSchema(before, db.snapshot(), "the killed deploy's revision (c8f3a1b2d4e5) left nothing behind");

        Maven.Result next = Maven.against(db, "liquibase:update", "-Dliquibase.labelFilter=pharmafleet");
        assertEquals(0, next.exitCode(), next.output());
        assertEquals(List.of("0ad0e83f95f1", "add_is_archived_column", "5642bd73b6d8", "add_phone_field_to_user",
                "add_vehicle_type_to_driver", "a8f3c2d91e57", "b7e4d2f1a3c9", "c8f3a1b2d4e5"), db.appliedRevisions());
        assertTrue(!next.output().contains("Waiting for changelog lock"), "the next deploy did not wait:\n" + next.output());
        assertEquals(List.of(List.of("")), db.query("SELECT coalesce(to_regclass('databasechangeloglock')::text, '')"),
                "the lock is PostgreSQL's advisory lock, not a row that a dead deploy could leave set");
    }

    /** A revision behind a long reader waits a bounded time, lets others pass between tries, then gives up cleanly. */
    @Test
    void aRevisionBehindALongTransactionGivesUpAfterItsBoundedTriesNamingTheHolderAndChangesNothing() throws Exception {
        busy.updateToTag("0ad0e83f95f1");
        SortedSet<String> before = busy.snapshot();
        try (Connection reader = busy.connect(); Statement read = reader.createStatement()) {
            reader.setAutoCommit(false);
            read.execute("SELECT count(*) FROM pharmafleet.\"order\"");
            String readerPid = busy.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'")
                    .get(0).get(0);

            Path output = outputFile();
            Process deploy = start(busy, output, "liquibase:update", "-Dliquibase.labelFilter=pharmafleet",
                    "-Ddeploy.lock_timeout=200ms", "-Ddeploy.lock_attempts=3");
            awaitOutput(output, "waiting for table pharmafleet.\"order\", held by pid " + readerPid + " (AccessShareLock");
            assertEquals(List.of(List.of("1")), busy.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '-- Takes the locks%'"), "each wait is said as it happens, while its statement still runs");
            Maven.Result refused = finished(deploy, output);
            assertNotEquals(0, refused.exitCode(), refused.output());
            assertTrue(refused.firstError().startsWith("[ERROR] add_is_archived_column: gave up waiting for table pharmafleet.\"order\""
                    + " after 3 tries of 200ms: held by pid " + readerPid + " (AccessShareLock"), refused.firstError() + "\n" + refused.output());
            assertFalse(refused.hasStackTrace(), "giving up is no fault of the deploy: no stack trace\n" + refused.output());
            assertEquals(List.of("0ad0e83f95f1"), busy.appliedRevisions());
            TestDatabase.assertSameSchema(before, busy.snapshot(), "the revision that gave up changed nothing");
        }
        Maven.Result nonsense = Maven.against(busy, "liquibase:update", "-Dliquibase.labelFilter=pharmafleet", "-Ddeploy.lock_timeout=soon");
        assertNotEquals(0, nonsense.exitCode(), nonsense.output());
        assertTrue(nonsense.output().contains("deploy.lock_timeout is 'soon': give a wait such as 1s, 500ms or 1min"), nonsense.output());
        assertEquals(List.of("0ad0e83f95f1"), busy.appliedRevisions());

        busy.update();
        assertEquals(8, busy.appliedRevisions().size(), "once the reader is done, the deploy goes through");

        SortedSet<String> atHead = busy.snapshot();
        try (Connection reader = busy.connect(); Statement read = reader.createStatement()) {
            reader.setAutoCommit(false);
            read.execute("SELECT count(*) FROM pharmafleet.\"order\"");
            // Other values than the deploy's: they are not part of the applied revisions' checksums.
            Maven.Result refused = Maven.against(busy, "liquibase:rollback", "-Dliquibase.labelFilter=pharmafleet",
                    "-Dliquibase.rollbackCount=1", "-Ddeploy.lock_timeout=300ms", "-Ddeploy.lock_attempts=2");
            assertNotEquals(0, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("gave up waiting for table pharmafleet.\"order\" after 2 tries of 300ms"), refused.output());
            assertEquals(8, busy.appliedRevisions().size(), "the rollback that gave up is not recorded");
            TestDatabase.assertSameSchema(atHead, busy.snapshot(), "the rollback that gave up undid nothing");
        }
    }

    /** While add_is_archived_column builds its index and waits for an older transaction, orders are still written. */
    @Test
    void anIndexIsBuiltWhileOrdersAreWrittenAndItsRevisionWaitsForOlderTransactionsWithoutBlockingThem() throws Exception {
        online.updateToTag("0ad0e83f95f1");
        online.execute("""
                INSERT INTO pharmafleet."user" (email, hashed_password) VALUES ('d@example.com', 'x');
                INSERT INTO pharmafleet.warehouse (code, name) VALUES ('KW1', 'Shuwaikh');
                """);
        Process deploy;
        Path output = outputFile();
        try (Connection older = online.connect(); Statement statement = older.createStatement()) {
            older.setAutoCommit(false);
            statement.execute("SELECT txid_current()");
            String olderPid = online.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL").get(0).get(0);
            deploy = start(online, output, "liquibase:update", "-Dliquibase.labelFilter=pharmafleet", "-Dliquibase.toTag=add_is_archived_column");
            awaitQuery(online, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND query LIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock'");
            awaitOutput(output, "add_is_archived_column: still building index ix_order_is_archived on order concurrently");
            assertTrue(Files.readString(output).contains("it waits for the transactions older than it to end: pid " + olderPid + " (idle in transaction"),
                    "while the build waits, it says for whom:\n" + Files.readString(output));

            try (Connection writer = online.connect(); Statement write = writer.createStatement()) {
                write.execute("SET statement_timeout = '2s'");
                write.execute("INSERT INTO pharmafleet.\"order\" (sales_order_number, customer_info, payment_method, total_amount, warehouse_id)"
                        + " VALUES ('SO-1', '{}', 'CASH', 1, 1)");
                assertEquals(List.of(List.of("1")), online.query("SELECT count(*) FROM pharmafleet.\"order\" WHERE NOT is_archived"),
                        "the column is there and the order was written while the index was being built");
            }
        }
        assertTrue(deploy.waitFor(2, TimeUnit.MINUTES) && deploy.exitValue() == 0, "the deploy finishes once the older transaction is done");
        assertEquals(List.of(List.of("true")), online.query("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'pharmafleet.ix_order_is_archived'::regclass"));
    }

    /** A unique index build that failed leaves an invalid index; the revision run again replaces it and completes. */
    @Test
    void aRevisionWhoseIndexBuildFailedCompletesWhenRunAgain() throws Exception {
        resumed.updateToTag("a8f3c2d91e57");
        SortedSet<String> expected = builtFromEmptyAt("b7e4d2f1a3c9");
        // What a run of b7e4d2f1a3c9 leaves when two drivers got one code while its unique index was being built.
        resumed.execute("""
                INSERT INTO pharmafleet."user" (email, hashed_password) VALUES ('a@example.com', 'x'), ('b@example.com', 'x');
                INSERT INTO pharmafleet.driver (user_id) VALUES (1), (2);
                ALTER TABLE pharmafleet."order" ADD COLUMN assigned_at timestamptz, ADD COLUMN picked_up_at timestamptz,
                  ADD COLUMN notes text, ADD COLUMN sales_track varchar;
                CREATE INDEX ix_order_assigned_at ON pharmafleet."order" (assigned_at);
                ALTER TABLE pharmafleet.driver ADD COLUMN code varchar;
                UPDATE pharmafleet.driver SET code = 'SAME';
                """);
        try {
            resumed.execute("CREATE UNIQUE INDEX CONCURRENTLY ix_driver_code ON pharmafleet.driver (code)");
            throw new AssertionError("the duplicate codes must fail the build");
        } catch (IllegalStateException failedBuild) {
            assertEquals(List.of(List.of("false")), resumed.query("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'pharmafleet.ix_driver_code'::regclass"));
        }
        resumed.execute("UPDATE pharmafleet.driver SET code = NULL");

        resumed.updateToTag("b7e4d2f1a3c9");

        TestDatabase.assertSameSchema(expected, resumed.snapshot(), "run again, the revision leaves what it builds from empty");
        assertEquals("b7e4d2f1a3c9", resumed.appliedRevisions().get(resumed.appliedRevisions().size() - 1));
    }

    private static SortedSet<String> builtFromEmptyAt(String revision) {
        reference.updateToTag(revision);
        return reference.snapshot();
    }

    private static void awaitQuery(TestDatabase on, String countQuery) throws InterruptedException {
        awaitQuery(on, countQuery, 60);
    }

    private static void awaitQuery(TestDatabase on, String countQuery, int seconds) throws InterruptedException {
        for (int tries = 0; tries < seconds * 10; tries++) {
            if (!on.query(countQuery).get(0).get(0).equals("0")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never seen: " + countQuery);
    }

    @Test
    void twoDeploysStartedTogetherOnADeployedDatabaseApplyEveryRevisionExactlyOnce() throws Exception {
        // Liquibase creates its history table before it takes the lock, so two first-ever deploys can collide there;
        // the lock protects every deploy after that one.
        concurrent.updateToTag("001_initial_schema");
        Process first = start(concurrent, outputFile(), "liquibase:update", "-Dliquibase.labelFilter=ordering");
        Process second = start(concurrent, outputFile(), "liquibase:update", "-Dliquibase.labelFilter=ordering");
        assertTrue(first.waitFor(5, TimeUnit.MINUTES) && second.waitFor(5, TimeUnit.MINUTES));
        assertEquals(List.of(0, 0), List.of(first.exitValue(), second.exitValue()), "both deploys succeed, one after the other");
        assertEquals(List.of("001_initial_schema", "002_categories", "003_member_fields", "004_order_item_status",
                "005_order_foreign_keys", "006_audit_log_columns", "007_device_sessions"), concurrent.appliedRevisions());
    }

    /** The same Maven run as Maven.against, started without waiting for it, writing what it prints to output. */
    private static Process start(TestDatabase db, Path output, String... arguments) throws IOException {
        List<String> command = Maven.command(TestDatabase.PROJECT_DIR,
                "-Dliquibase.url=" + db.url(), "-Dliquibase.username=" + db.username(), "-Dliquibase.password=" + db.password());
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static Path outputFile() throws IOException {
        return Files.createTempFile(Files.createDirectories(TestDatabase.OUTPUT), "deploy-", ".log");
    }

    private static Maven.Result finished(Process deploy, Path output) throws Exception {
        assertTrue(deploy.waitFor(2, TimeUnit.MINUTES), "the deploy ends");
        return new Maven.Result(deploy.exitValue(), Files.readString(output));
    }

    private static void awaitOutput(Path output, String text) throws Exception {
        for (int tries = 0; tries < 600; tries++) {
            if (Files.readString(output).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never printed: " + text + "\n" + Files.readString(output));
    }

    private static void awaitWaitingOnOrder() throws InterruptedException {
        for (int tries = 0; tries < 600; tries++) {
            if (!db.query(WAITING_ON_ORDER).get(0).get(0).equals("0")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the deploy never reached the order table");
    }

    /** The dead deploy's server session ends once the server notices its client is gone. */
    private static void awaitNoOtherSession() throws InterruptedException {
        for (int tries = 0; tries < 300; tries++) {
            if (db.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
                    .get(0).get(0).equals("0")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the killed deploy's session is still there: "
                + db.query("SELECT pid, state, wait_event_type, left(query, 80) FROM pg_stat_activity WHERE datname = current_database()"));
    }
}
