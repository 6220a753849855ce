package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
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

    private static final String WAITING_ON_ORDER = """
            SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE NOT l.granted AND l.relation = 'pharmafleet."order"'::regclass AND a.datname = current_database()
            """;

    @Test
    void aDeployKilledMidRevisionLeavesNoLockAndNoPartOfTheRevisionAndTheNextDeployAppliesEverything() throws Exception {
        db.updateToTag("0ad0e83f95f1");
        SortedSet<String> atFirstRevision = db.snapshot();

        Process deploy;
        try (Connection reader = db.connect(); Statement read = reader.createStatement()) {
            reader.setAutoCommit(false);
            read.execute("SELECT count(*) FROM pharmafleet.\"order\"");
            deploy = start(db, "liquibase:update", "-Dliquibase.labelFilter=pharmafleet");
            awaitWaitingOnOrder();
            deploy.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            deploy.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            reader.commit();
        }
        awaitNoOtherSession();
        TestDatabase.assertSameSchema(atFirstRevision, db.snapshot(), "the killed deploy's revision left nothing behind");

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

            Maven.Result refused = Maven.against(busy, "liquibase:update", "-Dliquibase.labelFilter=pharmafleet",
                    "-Ddeploy.lock_timeout=200ms", "-Ddeploy.lock_attempts=3");
            assertNotEquals(0, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("gave up waiting for table pharmafleet.\"order\" after 3 tries of 200ms: held by pid "
                    + readerPid + " (AccessShareLock"), refused.output());
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

    @Test
    void twoDeploysStartedTogetherOnADeployedDatabaseApplyEveryRevisionExactlyOnce() throws Exception {
        // Liquibase creates its history table before it takes the lock, so two first-ever deploys can collide there;
        // the lock protects every deploy after that one.
        concurrent.updateToTag("001_initial_schema");
        Process first = start(concurrent, "liquibase:update", "-Dliquibase.labelFilter=ordering");
        Process second = start(concurrent, "liquibase:update", "-Dliquibase.labelFilter=ordering");
        assertTrue(first.waitFor(5, TimeUnit.MINUTES) && second.waitFor(5, TimeUnit.MINUTES));
        assertEquals(List.of(0, 0), List.of(first.exitValue(), second.exitValue()), "both deploys succeed, one after the other");
        assertEquals(List.of("001_initial_schema", "002_categories", "003_member_fields", "004_order_item_status",
                "005_order_foreign_keys", "006_audit_log_columns", "007_device_sessions"), concurrent.appliedRevisions());
    }

    /** The same Maven run as Maven.against, started without waiting for it. */
    private static Process start(TestDatabase db, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(), "-B", "-q",
                "-f", TestDatabase.PROJECT_DIR.resolve("pom.xml").toString(), "-Dmaven.repo.local=" + System.getProperty("maven.repo.local"),
                "-Dliquibase.url=" + db.url(), "-Dliquibase.username=" + db.username(), "-Dliquibase.password=" + db.password()));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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
