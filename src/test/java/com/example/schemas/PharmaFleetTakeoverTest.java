package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import com.example.schemas.takeover.SeedFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PharmaFleet databases as an Alembic history written apart from ours would have left them: the same revisions,
 * with the details the migration guide leaves open chosen otherwise (SERIAL keys, lower-case payment methods,
 * double precision money, a warehouse phone and no audit entity id, other constraint and index names, a naive
 * last_online_at), holding rows. Taken over at the first revision, one in the middle and head, each is brought
 * to head with its rows, the guide's facts and behaviours, alembic_version in step and a drift report that names
 * exactly those choices; one that lacks what the guide states is refused and left as it was. A revision recorded at
 * take-over whose objects Alembic named otherwise is not rolled back by name: the rollback refuses.
 */
class PharmaFleetTakeoverTest {

    @RegisterExtension
    static final TestDatabase atFirst = TestDatabase.forSystemInPublic("pharmafleet");
    @RegisterExtension
    static final TestDatabase atMiddle = TestDatabase.forSystemInPublic("pharmafleet");
    @RegisterExtension
    static final TestDatabase atHead = TestDatabase.forSystemInPublic("pharmafleet");
    @RegisterExtension
    static final TestDatabase lacking = TestDatabase.forSystemInPublic("pharmafleet");

    private static final Path REPORT = TestDatabase.OUTPUT.resolve("takeover/pharmafleet-drift.txt");
    private static final List<String> TABLES = List.of("user", "warehouse", "driver", "order", "orderstatushistory",
            "proofofdelivery", "paymentcollection", "notification", "driverlocation", "auditlog");

    /** What each of their revisions ran, in order. */
    private static final Map<String, String> THEIR_HISTORY = new LinkedHashMap<>();

    static {
        THEIR_HISTORY.put("0ad0e83f95f1", """
                CREATE EXTENSION IF NOT EXISTS postgis;
                CREATE TYPE userrole AS ENUM ('ADMIN', 'MANAGER', 'DISPATCHER', 'DRIVER');
                CREATE TYPE orderstatus AS ENUM ('PENDING', 'ASSIGNED', 'PICKED_UP', 'IN_TRANSIT', 'DELIVERED', 'FAILED', 'CANCELLED', 'RETURNED');
                CREATE TYPE paymentmethod AS ENUM ('cash', 'knet', 'credit_card');
                CREATE TABLE "user" (id SERIAL PRIMARY KEY, full_name VARCHAR, email VARCHAR NOT NULL, hashed_password VARCHAR NOT NULL,
                  is_active BOOLEAN NOT NULL DEFAULT true, is_superuser BOOLEAN NOT NULL DEFAULT false, role userrole NOT NULL DEFAULT 'DRIVER');
                CREATE UNIQUE INDEX ix_user_email ON "user" (email);
                CREATE TABLE warehouse (id SERIAL PRIMARY KEY, code VARCHAR NOT NULL, name VARCHAR NOT NULL, address VARCHAR,
                  location geometry(POINT, 4326), is_active BOOLEAN NOT NULL DEFAULT true, phone VARCHAR);
                CREATE UNIQUE INDEX ix_warehouse_code ON warehouse (code);
                CREATE TABLE driver (id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL UNIQUE REFERENCES "user" (id),
                  warehouse_id INTEGER REFERENCES warehouse (id), biometric_id VARCHAR, vehicle_info VARCHAR, is_available BOOLEAN NOT NULL DEFAULT true);
                CREATE TABLE "order" (id SERIAL PRIMARY KEY, sales_order_number VARCHAR NOT NULL, customer_info JSONB NOT NULL,
                  status orderstatus NOT NULL DEFAULT 'PENDING', payment_method paymentmethod NOT NULL, total_amount DOUBLE PRECISION NOT NULL,
                  warehouse_id INTEGER NOT NULL REFERENCES warehouse (id), driver_id INTEGER CONSTRAINT fk_order_driver REFERENCES driver (id),
                  created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'), updated_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'));
                CREATE UNIQUE INDEX ix_order_sales_order_number ON "order" (sales_order_number);
                CREATE TABLE orderstatushistory (id SERIAL PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES "order" (id) ON DELETE CASCADE,
                  status orderstatus NOT NULL, changed_by_id INTEGER REFERENCES "user" (id), notes TEXT,
                  "timestamp" TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'));
                CREATE INDEX ix_orderstatushistory_order_id ON orderstatushistory (order_id);
                CREATE TABLE proofofdelivery (id SERIAL PRIMARY KEY, order_id INTEGER NOT NULL UNIQUE REFERENCES "order" (id) ON DELETE CASCADE,
                  signature_url VARCHAR, photo_url VARCHAR, "timestamp" TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'));
                CREATE TABLE paymentcollection (id SERIAL PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES "order" (id),
                  driver_id INTEGER NOT NULL REFERENCES driver (id), amount DOUBLE PRECISION NOT NULL, method paymentmethod NOT NULL,
                  collected_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'), verified_at TIMESTAMP, verified_by_id INTEGER REFERENCES "user" (id));
                CREATE INDEX ix_paymentcollection_order_id ON paymentcollection (order_id);
                CREATE TABLE notification (id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
                  title VARCHAR NOT NULL, body VARCHAR NOT NULL, data JSONB, is_read BOOLEAN NOT NULL DEFAULT false,
                  created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'));
                CREATE INDEX ix_notification_user_id ON notification (user_id);
                CREATE TABLE driverlocation (id SERIAL PRIMARY KEY, driver_id INTEGER NOT NULL REFERENCES driver (id) ON DELETE CASCADE,
                  location geometry(POINT, 4326) NOT NULL, "timestamp" TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'));
                CREATE INDEX ix_driverlocation_driver_id_timestamp ON driverlocation (driver_id, "timestamp");
                CREATE TABLE auditlog (id SERIAL PRIMARY KEY, user_id INTEGER REFERENCES "user" (id), action VARCHAR NOT NULL,
                  entity_type VARCHAR NOT NULL, details JSONB, "timestamp" TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'));
                CREATE INDEX idx_auditlog_ts ON auditlog ("timestamp");
                """);
        THEIR_HISTORY.put("add_is_archived_column", """
                ALTER TABLE "order" ADD COLUMN is_archived BOOLEAN NOT NULL DEFAULT false;
                CREATE INDEX ix_order_is_archived ON "order" (is_archived);
                """);
        THEIR_HISTORY.put("5642bd73b6d8", """
                ALTER TABLE driver ADD COLUMN last_online_at TIMESTAMP WITHOUT TIME ZONE;
                ALTER TABLE "user" ADD COLUMN fcm_token VARCHAR;
                """);
        THEIR_HISTORY.put("add_phone_field_to_user", "ALTER TABLE \"user\" ADD COLUMN phone VARCHAR;");
        THEIR_HISTORY.put("add_vehicle_type_to_driver", "ALTER TABLE driver ADD COLUMN vehicle_type VARCHAR;");
        THEIR_HISTORY.put("a8f3c2d91e57", """
                ALTER TABLE "order" ADD COLUMN delivered_at TIMESTAMP WITH TIME ZONE;
                CREATE INDEX ix_order_delivered_at ON "order" (delivered_at);
                """);
        THEIR_HISTORY.put("b7e4d2f1a3c9", """
                ALTER TABLE "order" ADD COLUMN assigned_at TIMESTAMP WITH TIME ZONE, ADD COLUMN picked_up_at TIMESTAMP WITH TIME ZONE,
                  ADD COLUMN notes TEXT, ADD COLUMN sales_track VARCHAR;
                CREATE INDEX idx_order_assigned ON "order" (assigned_at);
                ALTER TABLE driver ADD COLUMN code VARCHAR;
                CREATE UNIQUE INDEX ix_driver_code ON driver (code);
                """);
        THEIR_HISTORY.put("c8f3a1b2d4e5", "ALTER TABLE \"order\" RENAME COLUMN sales_track TO sales_taker;");
    }

    private static final String ROWS = """
            INSERT INTO "user" (full_name, email, hashed_password, role) VALUES ('Dana', 'dana@example.com', 'x', 'DISPATCHER'),
              ('Omar', 'omar@example.com', 'x', 'DRIVER'), ('Lina', 'lina@example.com', 'x', 'DRIVER');
            INSERT INTO warehouse (code, name, location) VALUES ('KW1', 'Shuwaikh', ST_SetSRID(ST_MakePoint(47.95, 29.34), 4326));
            INSERT INTO driver (user_id, warehouse_id, biometric_id) VALUES (2, 1, 'B-2'), (3, 1, 'B-3');
            INSERT INTO "order" (sales_order_number, customer_info, payment_method, total_amount, warehouse_id, driver_id)
              VALUES ('SO-1', '{"name": "Ali"}', 'knet', 12.5, 1, 1), ('SO-2', '{"name": "Huda"}', 'cash', 3.25, 1, 2);
            INSERT INTO paymentcollection (order_id, driver_id, amount, method) VALUES (2, 2, 3.25, 'cash');
            """;

    /** The drift every one of their databases has from the first revision on. */
    private static final List<String> BASE_DRIFT = baseDrift();

    private static List<String> baseDrift() {
        List<String> drift = new ArrayList<>();
        for (String table : TABLES) {
            drift.add("column " + table + ".id is integer not null default nextval('" + table + "_id_seq'::regclass) here;"
                    + " the changelog builds integer not null identity");
        }
        drift.add("type paymentmethod is cash, knet, credit_card here; the changelog builds CASH, KNET, CREDIT_CARD");
        drift.add("column order.total_amount is double precision not null here; the changelog builds numeric(12,3) not null");
        drift.add("column paymentcollection.amount is double precision not null here; the changelog builds numeric(12,3) not null");
        drift.add("column warehouse.phone is here (character varying); the changelog does not build it");
        drift.add("column auditlog.entity_id is not here; the changelog builds it (character varying)");
        drift.add("constraint order.order_driver_id_fkey is named fk_order_driver here (FOREIGN KEY (driver_id) REFERENCES driver(id))");
        drift.add("index auditlog.ix_auditlog_timestamp is named idx_auditlog_ts here (btree (\"timestamp\"))");
        return drift;
    }

    private static final String NAIVE_LAST_ONLINE = "column driver.last_online_at is timestamp without time zone here;"
            + " the changelog builds timestamp with time zone";
    private static final String ASSIGNED_INDEX = "index order.ix_order_assigned_at is named idx_order_assigned here (btree (assigned_at))";

    @Test
    void aDatabaseAtTheFirstRevisionIsTakenOverWithItsDriftReportedAndBroughtToHead() throws Exception {
        buildTheirs(atFirst, "0ad0e83f95f1");
        takeOverAndBringToHead(atFirst, BASE_DRIFT);
    }

    @Test
    void aDatabaseMidwayIsTakenOverWithItsNaiveLastOnlineAtReportedAndBroughtToHead() throws Exception {
        List<String> drift = new ArrayList<>(BASE_DRIFT);
        drift.add(NAIVE_LAST_ONLINE);
        buildTheirs(atMiddle, "add_phone_field_to_user");
        takeOverAndBringToHead(atMiddle, drift);
    }

    @Test
    void aDatabaseAtHeadIsTakenOverAndRollsBackAndForthWithAlembicVersionInStep() throws Exception {
        List<String> drift = new ArrayList<>(BASE_DRIFT);
        drift.add(NAIVE_LAST_ONLINE);
        drift.add(ASSIGNED_INDEX);
        buildTheirs(atHead, "c8f3a1b2d4e5");
        SortedSet<String> before = atHead.snapshot();

        Maven.Result preview = Maven.against(atHead, "liquibase:updateSQL", "-Dliquibase.labelFilter=pharmafleet", "-Dpharmafleet.schema=public");
        assertEquals(0, preview.exitCode(), preview.output());
        assertTrue(preview.output().contains("PharmaFleet taken over at c8f3a1b2d4e5: everything its migration guide states is there;"
                + " 19 differences from what the changelog builds (drift, listed in " + REPORT + ")"), preview.output());
        String sql = Files.readString(TestDatabase.OUTPUT.resolve("liquibase/updateSQL.sql"));
        drift.forEach(difference -> assertTrue(sql.contains("-- drift: " + difference), "the preview lists " + difference + "\n" + sql));
        assertTrue(TestDatabase.recordsAsRan(sql, "c8f3a1b2d4e5"), sql);
        TestDatabase.assertSameSchema(before, atHead.snapshot(), "the preview changes nothing");

        takeOverAndBringToHead(atHead, drift);

        atHead.rollbackCount(1);
        assertEquals(List.of(List.of("b7e4d2f1a3c9")), atHead.query("SELECT version_num FROM alembic_version"));
        assertEquals(List.of(List.of("SO-1"), List.of("SO-2")), atHead.query("SELECT sales_order_number FROM \"order\" ORDER BY id"));
        atHead.update();
        assertEquals(List.of(List.of("c8f3a1b2d4e5")), atHead.query("SELECT version_num FROM alembic_version"));
        assertStatedFactsAndBehaviourHold(atHead);

        atHead.rollbackCount(1);
        SortedSet<String> atB7 = atHead.snapshot();
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> atHead.rollbackCount(1));
        assertTrue(refused.getMessage().contains("b7e4d2f1a3c9 was recorded when this database was taken over from Alembic, not run by"
                + " Liquibase, and what it built here differs from what its rollback removes: index order.ix_order_assigned_at is named"
                + " idx_order_assigned here (btree (assigned_at)). Nothing was rolled back. Roll this part of the history back with the"
                + " Alembic release"), refused.getMessage());
        TestDatabase.assertSameSchema(atB7, atHead.snapshot(), "the refused rollback changes nothing");
        assertEquals(List.of(List.of("b7e4d2f1a3c9")), atHead.query("SELECT version_num FROM alembic_version"));
        atHead.update();
    }

    @Test
    void aDatabaseThatLacksWhatTheGuideStatesIsRefusedAndLeftAsItWas() {
        buildTheirs(lacking, "a8f3c2d91e57");
        lacking.execute("DROP INDEX ix_order_delivered_at; ALTER TABLE \"user\" DROP COLUMN phone");
        SortedSet<String> before = lacking.snapshot();

        IllegalStateException refusal = assertThrows(IllegalStateException.class, lacking::update);

        assertTrue(refusal.getMessage().contains("PharmaFleet: schema public lacks what its migration guide states for revision"
                + " a8f3c2d91e57, so it cannot be taken over, and nothing was recorded or changed."), refusal.getMessage());
        assertTrue(refusal.getMessage().contains("\n  - column user.phone is missing (the guide: \"Adds `phone` STRING to `user` table (nullable)\")"
                + "\n  - an index ix_order_delivered_at on order (delivered_at) is missing (the guide: \"Adds `delivered_at` DATETIME"),
                refusal.getMessage());
        TestDatabase.assertSameSchema(before, lacking.snapshot(), "a refused take-over changes nothing");
        assertEquals(List.of(List.of("")), lacking.query("SELECT coalesce(to_regclass('databasechangelog')::text, '')"),
                "and leaves no empty Liquibase history behind");
        assertEquals(List.of(List.of("a8f3c2d91e57")), lacking.query("SELECT version_num FROM alembic_version"));

        Maven.Result typed = Maven.against(lacking, "liquibase:update", "-Dliquibase.labelFilter=pharmafleet", "-Dpharmafleet.schema=public");
        assertTrue(typed.exitCode() != 0 && typed.output().contains("- column user.phone is missing"), typed.output());
        TestDatabase.assertSameSchema(before, lacking.snapshot(), "a refused take-over changes nothing");
        assertEquals(List.of(List.of("")), lacking.query("SELECT coalesce(to_regclass('databasechangelog')::text, '')"));
    }

    private static void takeOverAndBringToHead(TestDatabase db, List<String> expectedDrift) throws Exception {
        List<List<String>> orders = db.query("SELECT id, sales_order_number, total_amount, customer_info::text FROM \"order\" ORDER BY id");
        Files.deleteIfExists(REPORT);

        db.update();

        assertEquals(new TreeSet<>(expectedDrift), new TreeSet<>(reportedDrift()), "the drift report names exactly their own choices");
        assertEquals(orders, db.query("SELECT id, sales_order_number, total_amount, customer_info::text FROM \"order\" ORDER BY id"),
                "every order is still there as it was");
        assertEquals(List.of(List.of("3")), db.query("SELECT count(*) FROM \"user\""));
        assertEquals(List.of(List.of("c8f3a1b2d4e5")), db.query("SELECT version_num FROM alembic_version"), "Alembic would say head");
        assertEquals(RevisionListTest.listedRevisions("pharmafleet"), db.appliedRevisions());
        assertStatedFactsAndBehaviourHold(db);
    }

    /** Everything the guide states holds at head, and the unique driver code and archive default work. */
    private static void assertStatedFactsAndBehaviourHold(TestDatabase db) throws IOException, SQLException {
        SeedFacts facts;
        try (var file = Files.newBufferedReader(TestDatabase.PROJECT_DIR.resolve("changelog/pharmafleet/seed.yaml"))) {
            facts = SeedFacts.read(file);
        }
        try (Connection connection = db.connect()) {
            assertEquals(List.of(), facts.violations(connection, "public", RevisionListTest.listedRevisions("pharmafleet"), "c8f3a1b2d4e5"));
        }
        db.execute("UPDATE driver SET code = biometric_id");
        db.assertRejected("a second driver with the same code", "UPDATE driver SET code = 'SAME'");
        assertEquals(List.of(List.of("false")), db.query("SELECT DISTINCT is_archived::text FROM \"order\""));
    }

    private static void buildTheirs(TestDatabase db, String at) {
        for (Map.Entry<String, String> revision : THEIR_HISTORY.entrySet()) {
            db.execute(revision.getValue());
            if (revision.getKey().equals(at)) {
                break;
            }
        }
        db.execute(ROWS);
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));"
                + " INSERT INTO alembic_version VALUES ('" + at + "')");
    }

    private static List<String> reportedDrift() throws IOException {
        return Files.readAllLines(REPORT).stream().filter(line -> !line.startsWith("#")).toList();
    }
}
