package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The member ordering service's orders across 004 and 005, on a database that holds orders, some of them orphaned. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderingOrdersTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("ordering");

    private static final String ORDERS_WITH_LINES = """
            SELECT o.id, o.member_id, o.status, i.id, i.product_id, i.quantity
              FROM %1$s o JOIN %2$s i ON i.order_id = o.id
            """;
    private static final String ALL_ORDERS = ORDERS_WITH_LINES.formatted("ordering.orders", "ordering.order_items") + " ORDER BY 1, 4";

    private static List<List<String>> ordersBefore005;
    private static SortedSet<String> schemaBefore005;

    @Test
    @Order(1)
    void existingLinesTakeTheirOrdersStatus() {
        db.updateToTag("003_member_fields");
        db.execute("""
                INSERT INTO ordering.members (id, member_number, first_name, last_name) VALUES (1, 'M-0001', 'Noura', 'Saleh');
                INSERT INTO ordering.products (id, sku, name, price) VALUES (1, 'COF-250', 'Coffee beans 250 g', 4.50);
                INSERT INTO ordering.orders (id, member_id, status) VALUES
                  (1, 1, 'delivered'), (2, 1, 'confirmed'), (3, 41, 'pending'), (4, 42, 'cancelled');
                INSERT INTO ordering.order_items (id, order_id, product_id, quantity, unit_price) VALUES
                  (1, 1, 1, 2, 4.50), (2, 2, 1, 1, 4.50), (3, 3, 1, 5, 4.50), (4, 4, 1, 1, 4.50), (5, 4, 1, 3, 4.50);
                """);

        db.updateToTag("004_order_item_status");
        assertEquals(List.of(List.of("1", "delivered"), List.of("2", "pending"), List.of("3", "pending"),
                List.of("4", "cancelled"), List.of("5", "cancelled")),
                db.query("SELECT id, status FROM ordering.order_items ORDER BY id"),
                "a line takes its order's status where it is a line status too, else pending");
        db.assertRejected("a line status outside the list",
                "UPDATE ordering.order_items SET status = 'lost' WHERE id = 1");
        ordersBefore005 = db.query(ALL_ORDERS);
        schemaBefore005 = db.snapshot();
    }

    @Test
    @Order(2)
    void foreignKeyFixMovesOrphanedOrdersAsideWithTheirLinesAndNamesThem() {
        Maven.Result result = Maven.against(db, "liquibase:update", "-Dliquibase.labelFilter=ordering",
                "-Dliquibase.toTag=005_order_foreign_keys");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("005_order_foreign_keys: 2 orders name a member that does not exist:"
                + " order 3 (member 41), order 4 (member 42); moved with their lines to ordering.orphaned_orders"
                + " and ordering.orphaned_order_items"), result.output());

        List<List<String>> kept = db.query(ALL_ORDERS);
        List<List<String>> moved = db.query(ORDERS_WITH_LINES.formatted("ordering.orphaned_orders", "ordering.orphaned_order_items")
                + " ORDER BY 1, 4");
        assertEquals(List.of("1", "2"), kept.stream().map(row -> row.get(0)).distinct().toList());
        assertEquals(List.of("3", "4"), moved.stream().map(row -> row.get(0)).distinct().toList());
        List<List<String>> together = new ArrayList<>(kept);
        together.addAll(moved);
        assertEquals(ordersBefore005, together, "no order and no line is lost");
        assertEquals(List.of(List.of("order_items_order_id_fkey", "true", "c"), List.of("orders_member_id_fkey", "true", "a")),
                db.query("SELECT conname, convalidated::text, confdeltype::text FROM pg_constraint"
                        + " WHERE conname IN ('order_items_order_id_fkey', 'orders_member_id_fkey') ORDER BY 1"),
                "both keys hold for every row (validated); lines cascade, orders do not");
    }

    @Test
    @Order(3)
    void afterTheFixOrdersNeedAMemberAndTakeTheirLinesAlongWhenDeleted() {
        db.assertRejected("an order for a member that does not exist",
                "INSERT INTO ordering.orders (member_id) VALUES (43)");
        db.execute("DELETE FROM ordering.orders WHERE id = 2");
        assertEquals(List.of(List.of("1")), db.query("SELECT order_id FROM ordering.order_items ORDER BY 1"));
        db.execute("""
                INSERT INTO ordering.orders (id, member_id, status) VALUES (2, 1, 'confirmed');
                INSERT INTO ordering.order_items (id, order_id, product_id, quantity, unit_price, status) VALUES (2, 2, 1, 1, 4.50, 'pending');
                """);
    }

    @Test
    @Order(4)
    void rollingBackTheFixPutsTheOrphanedOrdersBackExactly() {
        db.rollbackToTag("004_order_item_status");
        assertEquals(ordersBefore005, db.query(ALL_ORDERS));
        TestDatabase.assertSameSchema(schemaBefore005, db.snapshot(), "no orphaned_* table is left, the keys are as before");
    }
}
