package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Databases that Alembic manages today (their tables, rows and alembic_version, no Liquibase tables) taken over
 * by the plain update: what Alembic applied is recorded, not run; the rest runs; alembic_version stays.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlembicAdoptionTest {

    @RegisterExtension
    static final TestDatabase pharmaFleetMidway = TestDatabase.forSystem("pharmafleet");
    @RegisterExtension
    static final TestDatabase pharmaFleetAtHead = TestDatabase.forSystem("pharmafleet");
    @RegisterExtension
    static final TestDatabase pandacPos = TestDatabase.forSystem("pandac-pos");
    @RegisterExtension
    static final TestDatabase ordering = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase providerRegistration = TestDatabase.forSystem("provider-registration");
    @RegisterExtension
    static final TestDatabase refused = TestDatabase.forSystem("pharmafleet");
    @RegisterExtension
    static final TestDatabase taggedAtHead = TestDatabase.forSystem("pharmafleet");
    @RegisterExtension
    static final TestDatabase fresh = TestDatabase.forSystem("pharmafleet, pandac-pos, ordering");
    @RegisterExtension
    static final TestDatabase freshInPublic = TestDatabase.forSystemInPublic("provider-registration");

    private static final String PHARMAFLEET_DATA = """
            INSERT INTO pharmafleet."user" (id, email, hashed_password) VALUES (1, 'driver@example.com', 'x');
            INSERT INTO pharmafleet.warehouse (id, code, name, location)
              VALUES (1, 'KW-01', 'Shuwaikh', ST_SetSRID(ST_MakePoint(47.95, 29.35), 4326));
            INSERT INTO pharmafleet."order" (sales_order_number, customer_info, payment_method, total_amount, warehouse_id)
              VALUES ('SO-1', '{"name": "A"}', 'KNET', 12.500, 1);
            """;
    private static final String PHARMAFLEET_ROWS = """
            SELECT o.sales_order_number, o.customer_info::text, o.total_amount, w.code, ST_AsText(w.location), u.email
              FROM pharmafleet."order" o JOIN pharmafleet.warehouse w ON w.id = o.warehouse_id, pharmafleet."user" u
            """;

    @BeforeAll
    static void buildFromEmpty() {
        fresh.update();
        freshInPublic.update();
    }

    @Test
    @Order(1)
    void theUpdatePreviewShowsTheAlembicRevisionsRecordedAndOnlyTheLaterOnesRunAndChangesNothing() {
        pharmaFleetMidway.updateToTag("a8f3c2d91e57");
        pharmaFleetMidway.execute(PHARMAFLEET_DATA);
        pharmaFleetMidway.leaveAsAlembicWould("pharmafleet", "a8f3c2d91e57");
        SortedSet<String> before = pharmaFleetMidway.snapshot();

        String sql = pharmaFleetMidway.previewUpdate(Map.of());
        for (String revision : List.of("0ad0e83f95f1", "add_is_archived_column", "5642bd73b6d8", "add_phone_field_to_user",
                "add_vehicle_type_to_driver", "a8f3c2d91e57")) {
            assertTrue(TestDatabase.recordsAsRan(sql, revision), revision + " is recorded, not run:\n" + sql);
        }
        assertTrue(sql.contains("ALTER TABLE \"pharmafleet\".\"order\" ADD COLUMN IF NOT EXISTS assigned_at timestamptz"), "b7e4d2f1a3c9 runs:\n" + sql);
        assertTrue(sql.contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"ix_order_assigned_at\" ON \"pharmafleet\".\"order\" (\"assigned_at\")"),
                "and builds its index concurrently:\n" + sql);
        assertTrue(sql.contains("RENAME COLUMN sales_track TO sales_taker"), "c8f3a1b2d4e5 runs:\n" + sql);
        TestDatabase.assertSameSchema(before, pharmaFleetMidway.snapshot(), "the preview changes nothing");
    }

    @Test
    @Order(2)
    void updateRecordsWhatAlembicAppliedRunsTheRestAndKeepsTheRowsAndAlembicVersion() {
        List<List<String>> rows = pharmaFleetMidway.query(PHARMAFLEET_ROWS);

        pharmaFleetMidway.update();
        assertEquals(List.of(
                List.of("0ad0e83f95f1", "MARK_RAN"), List.of("add_is_archived_column", "MARK_RAN"), List.of("5642bd73b6d8", "MARK_RAN"),
                List.of("add_phone_field_to_user", "MARK_RAN"), List.of("add_vehicle_type_to_driver", "MARK_RAN"),
                List.of("a8f3c2d91e57", "MARK_RAN"), List.of("b7e4d2f1a3c9", "EXECUTED"), List.of("c8f3a1b2d4e5", "EXECUTED")),
                pharmaFleetMidway.query("SELECT id, exectype FROM databasechangelog ORDER BY orderexecuted"));
        assertEquals(rows, pharmaFleetMidway.query(PHARMAFLEET_ROWS), "the rows are intact");
        assertEquals(List.of(List.of("c8f3a1b2d4e5")), pharmaFleetMidway.query("SELECT version_num FROM pharmafleet.alembic_version"),
                "alembic_version stays, naming the revision the schema is at: each revision Liquibase applied moved it");
        assertSameSchemaAsBuiltFromEmpty(pharmaFleetMidway, "pharmafleet");
    }

    @Test
    @Order(3)
    void aDatabaseAtAlembicsHeadIsRecordedWholeAndRollingBackMovesAlembicVersionDown() {
        pharmaFleetAtHead.update();
        pharmaFleetAtHead.execute(PHARMAFLEET_DATA);
        pharmaFleetAtHead.leaveAsAlembicWould("pharmafleet", "c8f3a1b2d4e5");

        pharmaFleetAtHead.update();
        assertEquals(List.of(List.of("MARK_RAN", "8")),
                pharmaFleetAtHead.query("SELECT exectype, count(*) FROM databasechangelog GROUP BY exectype"));

        pharmaFleetAtHead.rollbackCount(1);
        assertEquals(List.of(List.of("b7e4d2f1a3c9")), pharmaFleetAtHead.query("SELECT version_num FROM pharmafleet.alembic_version"),
                "after a rollback alembic_version names the revision the schema is at");

        pharmaFleetAtHead.update();
        assertEquals(List.of(List.of("c8f3a1b2d4e5", "EXECUTED")),
                pharmaFleetAtHead.query("SELECT id, exectype FROM databasechangelog WHERE id = 'c8f3a1b2d4e5'"), "run again, not recorded");
        assertEquals(List.of(List.of("c8f3a1b2d4e5")), pharmaFleetAtHead.query("SELECT version_num FROM pharmafleet.alembic_version"),
                "and alembic_version moves forward with it");
        assertEquals(List.of(List.of("SO-1")), pharmaFleetAtHead.query("SELECT sales_order_number FROM pharmafleet.\"order\""));
        assertSameSchemaAsBuiltFromEmpty(pharmaFleetAtHead, "pharmafleet");

        pharmaFleetAtHead.liquibase("rollbackCount", Map.of("count", 1, "labelFilter", "pharmafleet and users"));
        assertEquals(List.of(List.of("5642bd73b6d8")), pharmaFleetAtHead.query("SELECT version_num FROM pharmafleet.alembic_version"),
                "a filtered rollback skips revisions; alembic_version still never names one the schema is past");
        pharmaFleetAtHead.update();
        assertEquals(List.of(List.of("phone")), pharmaFleetAtHead.query("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = 'pharmafleet' AND table_name = 'user' AND column_name = 'phone'"), "so the update runs it again");
        assertEquals(List.of(List.of("c8f3a1b2d4e5")), pharmaFleetAtHead.query("SELECT version_num FROM pharmafleet.alembic_version"),
                "with the gap filled every revision is applied again, and alembic_version says so");

        pharmaFleetAtHead.execute("TRUNCATE pharmafleet.\"user\", pharmafleet.warehouse CASCADE");
        pharmaFleetAtHead.rollbackCount(1000);
        assertEquals(List.of(), pharmaFleetAtHead.query("SELECT nspname FROM pg_namespace WHERE nspname = 'pharmafleet'"),
                "below the first revision alembic_version goes, and with it the last object of the schema");
    }

    @Test
    @Order(4)
    void everySystemIsTakenOverAtTheRevisionItsAlembicVersionNames() {
        pandacPos.update();
        pandacPos.execute("INSERT INTO pandac_pos.users (username, email, hashed_password) VALUES ('mona', 'mona@pandac.example', 'h')");
        pandacPos.leaveAsAlembicWould("pandac_pos", "196993effbf8");
        ordering.updateToTag("004_order_item_status");
        ordering.execute("INSERT INTO ordering.members (member_number, first_name, last_name) VALUES ('M-0001', 'Noura', 'Saleh')");
        ordering.leaveAsAlembicWould("ordering", "004_order_item_status");

        pandacPos.update();
        ordering.update();

        assertEquals(List.of("MARK_RAN", "MARK_RAN"), exectypes(pandacPos));
        assertEquals(List.of("MARK_RAN", "MARK_RAN", "MARK_RAN", "MARK_RAN", "EXECUTED", "EXECUTED", "EXECUTED"), exectypes(ordering));
        assertEquals(List.of(List.of("007_device_sessions")), ordering.query("SELECT version_num FROM ordering.alembic_version"));
        assertEquals(List.of(List.of("mona", "true")), pandacPos.query("SELECT username, is_active::text FROM pandac_pos.users"));
        assertEquals(List.of(List.of("M-0001")), ordering.query("SELECT member_number FROM ordering.members"));
        assertSameSchemaAsBuiltFromEmpty(pandacPos, "pandac_pos");
        assertSameSchemaAsBuiltFromEmpty(ordering, "ordering");
    }

    /** The Provider Registration Service at 001_add_version_column, in public, as its Alembic migrations wrote it. */
    @Test
    @Order(5)
    void aDatabaseAlembicBuiltInPublicIsTakenOverWithTheSchemaParameter() {
        providerRegistration.execute(AlembicBuilt.CANDIDATES_AT_000 + """
                CREATE FUNCTION public.candidates_before_update() RETURNS trigger
                  LANGUAGE plpgsql AS $$
                BEGIN
                  NEW.updated_at := now() AT TIME ZONE 'utc';
                  RETURN NEW;
                END
                $$;
                CREATE TRIGGER trg_candidates_before_update BEFORE UPDATE ON candidates
                  FOR EACH ROW EXECUTE FUNCTION public.candidates_before_update();
                INSERT INTO alembic_version VALUES ('000_initial_schema');
                INSERT INTO candidates (company_name, contact_email, truck_count, capacity_tons_per_day)
                  VALUES ('Gulf Haulage', 'ops@gulf.example', 4, 120);
                ALTER TABLE candidates ADD COLUMN version INTEGER DEFAULT 1 NOT NULL;
                CREATE INDEX idx_candidates_id_version ON candidates (id, version);
                CREATE OR REPLACE FUNCTION public.candidates_before_update() RETURNS trigger
                  LANGUAGE plpgsql AS $$
                BEGIN
                  NEW.updated_at := now() AT TIME ZONE 'utc';
                  NEW.version := OLD.version + 1;
                  RETURN NEW;
                END
                $$;
                UPDATE alembic_version SET version_num = '001_add_version_column';
                """);
        SortedSet<String> before = providerRegistration.snapshot();

        Maven.Result forgotten = Maven.against(providerRegistration, "liquibase:update", "-Dliquibase.labelFilter=provider-registration");
        assertNotEquals(0, forgotten.exitCode(), forgotten.output());
        assertTrue(forgotten.output().contains("Alembic manages Provider Registration Service in schema public (at 001_add_version_column),"
                + " and this run would build it again in schema provider_registration: set the changelog parameter"
                + " provider_registration.schema to that schema"), forgotten.output());
        assertTrue(!forgotten.output().contains("Expected 'ok'"), "the refusal reads as it is written:\n" + forgotten.output());
        TestDatabase.assertSameSchema(before, providerRegistration.snapshot(), "the refused run builds no second copy");
        assertEquals(List.of(List.of("")), providerRegistration.query("SELECT coalesce(to_regclass('databasechangelog')::text, '')"),
                "and leaves no empty Liquibase history behind");

        Maven.Result result = Maven.against(providerRegistration, "liquibase:update", "-Dliquibase.labelFilter=provider-registration",
                "-Dprovider_registration.schema=public");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(List.of("MARK_RAN", "MARK_RAN", "EXECUTED"), exectypes(providerRegistration));
        assertEquals(List.of(List.of("Gulf Haulage", "1", "-")), providerRegistration.query(
                "SELECT company_name, version, coalesce(rejection_reason, '-') FROM candidates"));
        TestDatabase.assertSameSchema(freshInPublic.snapshot(), withoutAlembicVersion(providerRegistration.snapshot()),
                "taken over in public vs. built from empty in public");
    }

    @Test
    @Order(6)
    void anAlembicVersionThatSaysNothingUsableStopsTheUpdateWithItsReasonAndChangesNothing() {
        refused.updateToTag("b7e4d2f1a3c9");
        refused.execute(PHARMAFLEET_DATA);
        refused.leaveAsAlembicWould("pharmafleet");
        SortedSet<String> before = refused.snapshot();

        Maven.Result empty = Maven.against(refused, "liquibase:update", "-Dliquibase.labelFilter=pharmafleet");
        assertNotEquals(0, empty.exitCode());
        assertTrue(empty.output().contains("PharmaFleet: pharmafleet.alembic_version holds no row, so it does not say which revision"
                + " this database is at"), empty.output());
        assertRefused(before, "alembic_version holds 2 rows (a8f3c2d91e57, b7e4d2f1a3c9), that is several heads; merge them with"
                + " Alembic first", "a8f3c2d91e57", "b7e4d2f1a3c9");
        assertRefused(before, "alembic_version names 4f2e9c1d7a60, which is not one of its revisions (0ad0e83f95f1,", "4f2e9c1d7a60");
        assertRefused(before, "schema pharmafleet lacks what its migration guide states for revision c8f3a1b2d4e5, so it cannot be"
                + " taken over, and nothing was recorded or changed", "c8f3a1b2d4e5");
        assertRefused(before, "\n  - column order.sales_taker is missing (the guide: \"Renames `order.sales_track` to `order.sales_taker`\")",
                "c8f3a1b2d4e5");

        refused.execute("ALTER TABLE pharmafleet.driver ALTER COLUMN code TYPE integer USING NULL; DROP TABLE pharmafleet.auditlog");
        SortedSet<String> damaged = refused.snapshot();
        assertRefused(damaged, "revision b7e4d2f1a3c9, so it cannot be taken over, and nothing was recorded or changed. Bring it to"
                + " what the guide describes (the Alembic release's own migrations do), or correct alembic_version:"
                + "\n  - table auditlog is missing (the guide: \"Tables Created: user, warehouse, driver, order, orderstatushistory,"
                + " proofofdelivery, paymentcollection, notification, driverlocation, auditlog\")"
                + "\n  - column driver.code is integer, not character varying (the guide: \"Driver table: `code` STRING (unique)",
                "b7e4d2f1a3c9");
    }

    /**
     * An update by tag leaves out the first revision and with it the whole-database take-over check, so each revision
     * of the tag looks for itself: alembic_version says it is applied, but a column it adds is gone, so it runs.
     */
    @Test
    @Order(7)
    void aTaggedUpdateRunsARevisionAlembicVersionCountsAsAppliedWhenAColumnItAddsIsMissing() {
        taggedAtHead.update();
        taggedAtHead.leaveAsAlembicWould("pharmafleet", "c8f3a1b2d4e5");
        taggedAtHead.execute("ALTER TABLE pharmafleet.\"order\" DROP COLUMN delivered_at");

        taggedAtHead.liquibase("update", Map.of("labelFilter", "pharmafleet and orders"));
        assertEquals(List.of(List.of("add_is_archived_column", "MARK_RAN"), List.of("a8f3c2d91e57", "EXECUTED"),
                List.of("b7e4d2f1a3c9", "MARK_RAN"), List.of("c8f3a1b2d4e5", "MARK_RAN")),
                taggedAtHead.query("SELECT id, exectype FROM databasechangelog ORDER BY orderexecuted"));
        assertEquals(List.of(List.of("timestamp with time zone")), taggedAtHead.query("SELECT data_type FROM information_schema.columns"
                + " WHERE table_schema = 'pharmafleet' AND table_name = 'order' AND column_name = 'delivered_at'"));
    }

    private static void assertRefused(SortedSet<String> schema, String reason, String... alembicRevisions) {
        refused.execute("DELETE FROM pharmafleet.alembic_version");
        for (String revision : alembicRevisions) {
            refused.execute("INSERT INTO pharmafleet.alembic_version VALUES ('" + revision + "')");
        }
        IllegalStateException refusal = assertThrows(IllegalStateException.class, refused::update);
        assertTrue(refusal.getMessage().contains(reason), refusal.getMessage());
        TestDatabase.assertSameSchema(schema, refused.snapshot(), "a refused update changes nothing");
        assertEquals(List.of(), refused.appliedRevisions());
    }

    private static void assertSameSchemaAsBuiltFromEmpty(TestDatabase adopted, String schema) {
        TestDatabase.assertSameSchema(inSchema(fresh.snapshot(), schema), withoutAlembicVersion(inSchema(adopted.snapshot(), schema)),
                "taken over from Alembic vs. built from empty: " + schema);
    }

    private static SortedSet<String> inSchema(SortedSet<String> snapshot, String schema) {
        return snapshot.stream().filter(line -> line.contains(" " + schema + ".") || line.equals("schema " + schema))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static SortedSet<String> withoutAlembicVersion(SortedSet<String> snapshot) {
        return snapshot.stream().filter(line -> !line.contains("alembic_version")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> exectypes(TestDatabase db) {
        return db.query("SELECT exectype FROM databasechangelog ORDER BY orderexecuted").stream().map(row -> row.get(0)).toList();
    }
}
