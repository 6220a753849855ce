package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SortedSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** What PharmaFleet's schema promises at head, and what a trip to base and back does to it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PharmaFleetSchemaTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("pharmafleet");
    private static SortedSet<String> empty;

    @BeforeAll
    static void snapshotTheEmptyDatabase() { empty = db.snapshot(); }

    @Test
    @Order(1)
    void salesTrackValuesBecomeSalesTakerValuesAndComeBackOnRollback() {
        db.updateToTag("b7e4d2f1a3c9");
        db.execute("""
                INSERT INTO pharmafleet."user" (id, email, hashed_password) VALUES (1, 'driver@example.com', 'x');
                INSERT INTO pharmafleet.warehouse (id, code, name, location)
                  VALUES (1, 'KW-01', 'Shuwaikh', ST_SetSRID(ST_MakePoint(47.95, 29.35), 4326));
                INSERT INTO pharmafleet."order" (sales_order_number, customer_info, payment_method, total_amount, warehouse_id, sales_track)
                  VALUES ('SO-1', '{"name": "A"}', 'KNET', 12.500, 1, 'alice'), ('SO-2', '{"name": "B"}', 'CASH', 3.250, 1, NULL);
                """);

        db.updateToTag("c8f3a1b2d4e5");
        assertEquals(List.of(List.of("SO-1", "alice"), List.of("SO-2", "-")),
                db.query("SELECT sales_order_number, coalesce(sales_taker, '-') FROM pharmafleet.\"order\" ORDER BY 1"));

        db.rollbackCount(1);
        assertEquals(List.of(List.of("SO-1", "alice"), List.of("SO-2", "-")),
                db.query("SELECT sales_order_number, coalesce(sales_track, '-') FROM pharmafleet.\"order\" ORDER BY 1"));
    }

    @Test
    @Order(2)
    void headRejectsWhatTheSchemaForbids() {
        db.update();
        db.assertRejected("a second user with the same email",
                "INSERT INTO pharmafleet.\"user\" (email, hashed_password) VALUES ('driver@example.com', 'y')");
        db.assertRejected("a payment method other than CASH, KNET, CREDIT_CARD",
                "INSERT INTO pharmafleet.\"order\" (sales_order_number, customer_info, payment_method, total_amount, warehouse_id)"
                        + " VALUES ('SO-3', '{}', 'BITCOIN', 1, 1)");
        db.assertRejected("a warehouse location outside SRID 4326",
                "INSERT INTO pharmafleet.warehouse (code, name, location) VALUES ('KW-02', 'X', ST_SetSRID(ST_MakePoint(1, 2), 3857))");
        db.assertRejected("an order for a warehouse that does not exist",
                "INSERT INTO pharmafleet.\"order\" (sales_order_number, customer_info, payment_method, total_amount, warehouse_id)"
                        + " VALUES ('SO-4', '{}', 'CASH', 1, 99)");
        db.assertRejected("two drivers with the same code",
                "INSERT INTO pharmafleet.driver (user_id, code) VALUES (1, 'D1'); "
                        + "INSERT INTO pharmafleet.\"user\" (id, email, hashed_password) VALUES (2, 'b@example.com', 'x'); "
                        + "INSERT INTO pharmafleet.driver (user_id, code) VALUES (2, 'D1')");
        assertEquals(List.of(List.of("false", "PENDING")),
                db.query("SELECT is_archived::text, status FROM pharmafleet.\"order\" WHERE sales_order_number = 'SO-1'"),
                "orders written before add_is_archived_column are not archived; status defaults to PENDING");
    }

    @Test
    @Order(3)
    void downgradeToBaseLeavesNothingOfPharmaFleetAndUpgradeRebuildsIt() {
        db.update();
        SortedSet<String> head = db.snapshot();
        db.execute("TRUNCATE pharmafleet.\"user\", pharmafleet.warehouse CASCADE");

        db.rollbackCount(1000);
        TestDatabase.assertSameSchema(empty, db.snapshot(), "base: no PharmaFleet schema, table, type or index is left");
        assertTrue(db.appliedRevisions().isEmpty());
        assertEquals(List.of(List.of("1")), db.query("SELECT count(*) FROM pg_extension WHERE extname = 'postgis'"),
                "PostGIS belongs to the database and stays");

        db.update();
        TestDatabase.assertSameSchema(head, db.snapshot(), "upgrade from base rebuilds head");
        assertFalse(head.contains("table public.spatial_ref_sys"), "PostGIS's own tables are not part of the snapshot");
    }
}
