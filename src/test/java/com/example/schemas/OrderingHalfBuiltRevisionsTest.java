package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.SortedSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ordering revisions that change tables holding rows run outside a transaction (keys added NOT VALID, then
 * validated; indexes built concurrently; order lines given their statuses in batches), so a deploy that stops half-way
 * leaves part of a revision behind, unrecorded. What each of those leaves is built here by hand, and the next update
 * must complete the revision: the schema it builds from empty, every key validated, every index valid, nothing twice.
 */
class OrderingHalfBuiltRevisionsTest {

    @RegisterExtension
    static final TestDatabase members = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase lines = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase keys = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase stopped = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase died = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase reference = TestDatabase.forSystem("ordering");

    private static final String ORDER_KEYS = """
            SELECT conrelid::regclass::text, confdeltype::text, convalidated::text FROM pg_constraint
             WHERE contype = 'f' AND confrelid IN ('ordering.members'::regclass, 'ordering.orders'::regclass)
             ORDER BY 1""";

    private static final String UNFINISHED = """
            SELECT 'key ' || conname FROM pg_constraint WHERE NOT convalidated AND connamespace = 'ordering'::regnamespace
            UNION ALL
            SELECT 'index ' || indexrelid::regclass FROM pg_index WHERE NOT indisvalid AND indrelid::regclass::text LIKE 'ordering.%'
            """;

    @Test
    void aRevisionStoppedAfterItsColumnsANotValidKeyAndAFailedIndexBuildIsCompletedByTheNextUpdate() {
        members.updateToTag("002_categories");
        members.execute("""
                INSERT INTO ordering.categories (name) VALUES ('coffee');
                INSERT INTO ordering.members (member_number, first_name, last_name) VALUES ('M1', 'Ada', 'Lovelace');
                ALTER TABLE ordering.members ADD COLUMN dob date, ADD COLUMN category_id integer;
                ALTER TABLE ordering.members ADD CONSTRAINT members_category_id_fkey FOREIGN KEY (category_id)
                  REFERENCES ordering.categories (id) ON DELETE SET NULL NOT VALID;
                UPDATE ordering.members SET category_id = 1, dob = '1815-12-10';
                CREATE INDEX ix_members_category_id ON ordering.members (category_id);
                -- what a CREATE INDEX CONCURRENTLY that was cut off leaves
                UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'ordering.ix_members_category_id'::regclass;
                """);

        members.updateToTag("003_member_fields");

        TestDatabase.assertSameSchema(builtFromEmptyAt("003_member_fields"), members.snapshot(), "completed, 003 leaves what it builds from empty");
        assertEquals(List.of(), members.query(UNFINISHED), "the key is validated and the index rebuilt");
        assertEquals(List.of(List.of("003_member_fields", "EXECUTED")),
                members.query("SELECT id, exectype FROM databasechangelog WHERE id = '003_member_fields'"), "run, not recorded as already built");
        assertEquals(List.of(List.of("Ada", "1815-12-10", "1")), members.query("SELECT first_name, dob::text, category_id::text FROM ordering.members"));
    }

    @Test
    void orderLinesAlreadyGivenAStatusKeepItAndTheRestTakeTheirOrdersWhenTheRevisionIsRunAgain() {
        lines.updateToTag("003_member_fields");
        lines.execute("""
                INSERT INTO ordering.members (member_number, first_name, last_name) VALUES ('M1', 'Ada', 'Lovelace');
                INSERT INTO ordering.products (name, sku, price) VALUES ('Espresso', 'E1', 2.50);
                INSERT INTO ordering.orders (member_id, status) VALUES (1, 'delivered'), (1, 'pending');
                INSERT INTO ordering.order_items (order_id, product_id, quantity, unit_price) VALUES (1, 1, 1, 2.50), (1, 1, 2, 2.50), (2, 1, 1, 2.50);
                ALTER TABLE ordering.order_items ADD COLUMN status varchar(20) NOT NULL DEFAULT 'pending',
                  ADD COLUMN status_updated_at timestamptz;
                ALTER TABLE ordering.order_items ADD CONSTRAINT order_items_status_check
                  CHECK (status IN ('pending', 'preparing', 'ready', 'delivered', 'cancelled')) NOT VALID;
                -- the new application marked one line of the delivered order cancelled before the revision was done
                UPDATE ordering.order_items SET status = 'cancelled', status_updated_at = now() WHERE id = 2;
                """);

        lines.updateToTag("004_order_item_status");

        TestDatabase.assertSameSchema(builtFromEmptyAt("004_order_item_status"), lines.snapshot(), "completed, 004 leaves what it builds from empty");
        assertEquals(List.of(), lines.query(UNFINISHED), "the check is validated and the index valid");
        assertEquals(List.of(List.of("1", "delivered"), List.of("2", "cancelled"), List.of("3", "pending")),
                lines.query("SELECT id, status FROM ordering.order_items ORDER BY id"));
        lines.assertRejected("a line status that is none of the order statuses",
                "UPDATE ordering.order_items SET status = 'lost' WHERE id = 3");
    }

    @Test
    void aMemberKeyLeftNotValidIsValidatedOnceAndTheOrderLinesKeyReplaced() {
        keys.updateToTag("004_order_item_status");
        keys.execute("""
                INSERT INTO ordering.members (member_number, first_name, last_name) VALUES ('M1', 'Ada', 'Lovelace');
                INSERT INTO ordering.products (name, sku, price) VALUES ('Espresso', 'E1', 2.50);
                INSERT INTO ordering.orders (member_id) VALUES (1), (1);
                INSERT INTO ordering.order_items (order_id, product_id, quantity, unit_price) VALUES (1, 1, 1, 2.50), (2, 1, 1, 2.50);
                ALTER TABLE ordering.orders ADD CONSTRAINT orders_member_id_fkey FOREIGN KEY (member_id) REFERENCES ordering.members (id) NOT VALID;
                """);

        keys.updateToTag("005_order_foreign_keys");

        TestDatabase.assertSameSchema(builtFromEmptyAt("005_order_foreign_keys"), keys.snapshot(), "completed, 005 leaves what it builds from empty");
        assertEquals(List.of(), keys.query(UNFINISHED));
        keys.execute("DELETE FROM ordering.orders WHERE id = 1");
        assertEquals(List.of(List.of("1")), keys.query("SELECT count(*) FROM ordering.order_items"), "an order's lines go with it");

        keys.rollbackCount(1);

        TestDatabase.assertSameSchema(builtFromEmptyAt("004_order_item_status"), keys.snapshot(), "rolled back, as 004 left it");
        assertEquals(List.of(), keys.query(UNFINISHED));
    }

    @Test
    void a005RollbackThatGivesUpWaitingChangesNeitherKeyAndTheNextOneCompletes() throws Exception {
        stopped.updateToTag("005_order_foreign_keys");
        List<List<String>> keysAt005 = stopped.query(ORDER_KEYS);
        try (Connection reader = stopped.connect(); Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            statement.executeQuery("SELECT count(*) FROM ordering.members").close();
            Maven.Result refused = Maven.against(stopped, "liquibase:rollback", "-Dliquibase.labelFilter=ordering",
                    "-Dliquibase.rollbackCount=1", "-Ddeploy.lock_attempts=1");
            assertNotEquals(0, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("gave up waiting for table ordering.members"), refused.output());
        }
        assertEquals(keysAt005, stopped.query(ORDER_KEYS), "the order lines' key still cascades, the member key is there");

        stopped.rollbackCount(1);

        TestDatabase.assertSameSchema(builtFromEmptyAt("004_order_item_status"), stopped.snapshot(), "rolled back, as 004 left it");
    }

    @Test
    void aRevisionBuiltByARunThatDiedBeforeMovingAlembicVersionOnIsRunAgainToMoveIt() {
        died.updateToTag("007_device_sessions");
        // What a run of 007 leaves when it dies after its index build and before its last step.
        died.execute("""
                CREATE TABLE ordering.alembic_version (version_num varchar(32) PRIMARY KEY);
                INSERT INTO ordering.alembic_version VALUES ('006_audit_log_columns');
                DELETE FROM databasechangelog WHERE id = '007_device_sessions';
                """);

        died.updateToTag("007_device_sessions");

        assertEquals(List.of(List.of("EXECUTED")), died.query("SELECT exectype FROM databasechangelog WHERE id = '007_device_sessions'"));
        assertEquals(List.of(List.of("007_device_sessions")), died.query("SELECT version_num FROM ordering.alembic_version"));
    }

    /** The reference database, built from empty, brought up or rolled back to the revision. */
    private static SortedSet<String> builtFromEmptyAt(String revision) {
        if (reference.appliedRevisions().contains(revision)) {
            reference.rollbackToTag(revision);
        } else {
            reference.updateToTag(revision);
        }
        return reference.snapshot();
    }
}
