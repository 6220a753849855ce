package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ordering databases that Alembic brought to a revision, with names of their own where the guide gives none: taken
 * over at head with exactly those differences reported; at 003 with the member's date of birth in another column
 * than the guide's "dob", refused.
 */
class OrderingTakeoverTest {

    @RegisterExtension
    static final TestDatabase atHead = TestDatabase.forSystemInPublic("ordering");
    @RegisterExtension
    static final TestDatabase midway = TestDatabase.forSystemInPublic("ordering");
    @RegisterExtension
    static final TestDatabase readOnlyReports = TestDatabase.forSystemInPublic("ordering");
    @RegisterExtension
    static final TestDatabase withDateOfBirth = TestDatabase.forSystemInPublic("ordering");

    /** What their own 002 to 007 named otherwise, and a column their base has that ours does not. */
    private static final String THEIR_NAMES = """
            ALTER TABLE orders RENAME CONSTRAINT orders_member_id_fkey TO fk_orders_member;
            ALTER INDEX ix_order_items_status RENAME TO idx_order_items_status;
            ALTER TABLE members ADD COLUMN loyalty_tier VARCHAR(20);
            INSERT INTO members (member_number, first_name, last_name, dob) VALUES ('M-1', 'Noor', 'Saleh', '1990-04-01');
            """;

    private static final Set<String> THEIR_CHOICES = Set.of(
            "constraint orders.orders_member_id_fkey is named fk_orders_member here (FOREIGN KEY (member_id) REFERENCES members(id))",
            "index order_items.ix_order_items_status is named idx_order_items_status here (btree (status))",
            "column members.loyalty_tier is here (character varying(20)); the changelog does not build it");

    @Test
    void aDatabaseAlembicBroughtToHeadIsTakenOverWithItsOwnNamesReported() throws IOException {
        atHead.updateToTag("007_device_sessions");
        atHead.execute(THEIR_NAMES);
        atHead.leaveAsAlembicWould("public", "007_device_sessions");

        atHead.update();

        assertEquals(THEIR_CHOICES, new TreeSet<>(Files.readAllLines(TestDatabase.OUTPUT.resolve("takeover/ordering-drift.txt"))
                .stream().filter(line -> !line.startsWith("#")).toList()));
        assertEquals(RevisionListTest.listedRevisions("ordering"), atHead.appliedRevisions());
        assertEquals(List.of(List.of("MARK_RAN")), atHead.query("SELECT DISTINCT exectype FROM databasechangelog"));
        assertEquals(List.of(List.of("Noor", "1990-04-01")), atHead.query("SELECT first_name, dob::text FROM members"));
    }

    /**
     * Taken over at 003, where their own 002 and 003 named the category key and indexes otherwise: those are recorded
     * as built, whatever their names, the rest runs, and the database rolls back to 003 and forward again with
     * alembic_version in step and its rows intact.
     */
    @Test
    void aDatabaseAlembicBroughtTo003IsTakenOverAndRollsBackAndForthWithAlembicVersionInStep() {
        midway.updateToTag("003_member_fields");
        midway.execute("""
                ALTER TABLE members RENAME CONSTRAINT members_category_id_fkey TO fk_members_category;
                ALTER INDEX ix_members_category_id RENAME TO idx_members_category;
                ALTER INDEX ix_products_category_id RENAME TO idx_products_category;
                INSERT INTO categories (name) VALUES ('coffee');
                INSERT INTO members (member_number, first_name, last_name, dob, category_id) VALUES ('M-1', 'Noor', 'Saleh', '1990-04-01', 1);
                INSERT INTO products (name, sku, price, category_id) VALUES ('Espresso', 'E-1', 2.50, 1);
                INSERT INTO orders (member_id) VALUES (1);
                INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (1, 1, 2, 2.50);
                """);
        midway.leaveAsAlembicWould("public", "003_member_fields");
        String rows = "SELECT m.first_name, m.dob::text, p.name, i.quantity::text FROM members m JOIN orders o ON o.member_id = m.id"
                + " JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id";
        List<List<String>> theirRows = midway.query(rows);

        midway.update();

        assertEquals(List.of(List.of("001_initial_schema", "MARK_RAN"), List.of("002_categories", "MARK_RAN"),
                List.of("003_member_fields", "MARK_RAN"), List.of("004_order_item_status", "EXECUTED"),
                List.of("005_order_foreign_keys", "EXECUTED"), List.of("006_audit_log_columns", "EXECUTED"),
                List.of("007_device_sessions", "EXECUTED")), midway.query("SELECT id, exectype FROM databasechangelog ORDER BY orderexecuted"));
        assertEquals(List.of(List.of("007_device_sessions")), midway.query("SELECT version_num FROM alembic_version"));
        assertEquals(theirRows, midway.query(rows));

        midway.rollbackToTag("003_member_fields");
        assertEquals(List.of(List.of("003_member_fields")), midway.query("SELECT version_num FROM alembic_version"));
        assertEquals(List.of("001_initial_schema", "002_categories", "003_member_fields"), midway.appliedRevisions());

        midway.update();
        assertEquals(List.of(List.of("007_device_sessions")), midway.query("SELECT version_num FROM alembic_version"));
        assertEquals(theirRows, midway.query(rows));
        assertEquals(List.of(List.of("fk_members_category"), List.of("idx_members_category"), List.of("idx_products_category")),
                midway.query("SELECT conname FROM pg_constraint WHERE conname LIKE 'fk\\_%' UNION ALL"
                        + " SELECT relname FROM pg_class WHERE relname LIKE 'idx\\_%' ORDER BY 1"), "their names are kept");
    }

    /** A service in a container may have no writable folder: the drift goes to the log, and the take-over goes on. */
    @Test
    void aDriftReportThatCannotBeWrittenDoesNotStopTheTakeOver() throws IOException {
        readOnlyReports.updateToTag("007_device_sessions");
        readOnlyReports.execute(THEIR_NAMES);
        readOnlyReports.leaveAsAlembicWould("public", "007_device_sessions");

        Maven.Result update = Maven.against(readOnlyReports, "liquibase:update", "-Dliquibase.labelFilter=ordering",
                "-Dordering.schema=public", "-Dtakeover.reports=/proc/no-such-folder");

        assertEquals(0, update.exitCode(), update.output());
        assertTrue(update.output().contains("3 differences from what the changelog builds (drift, listed in the log as drift lines;"
                + " /proc/no-such-folder/ordering-drift.txt could not be written"), update.output());
        assertTrue(update.output().contains("drift: column members.loyalty_tier is here (character varying(20)); the changelog does not build it"),
                update.output());
        assertEquals(RevisionListTest.listedRevisions("ordering"), readOnlyReports.appliedRevisions());
    }

    @Test
    void aDatabaseWhoseMemberDateOfBirthIsNotTheGuidesDobIsRefusedAndLeftAsItWas() {
        withDateOfBirth.updateToTag("003_member_fields");
        withDateOfBirth.execute("ALTER TABLE members RENAME COLUMN dob TO date_of_birth");
        withDateOfBirth.leaveAsAlembicWould("public", "003_member_fields");
        SortedSet<String> before = withDateOfBirth.snapshot();

        IllegalStateException refusal = assertThrows(IllegalStateException.class, withDateOfBirth::update);

        assertTrue(refusal.getMessage().contains("\n  - column members.dob is missing (the guide: \"003_add_member_fields.py - Member dob"),
                refusal.getMessage());
        TestDatabase.assertSameSchema(before, withDateOfBirth.snapshot(), "a refused take-over changes nothing");
        assertEquals(List.of(), withDateOfBirth.appliedRevisions());
    }
}
