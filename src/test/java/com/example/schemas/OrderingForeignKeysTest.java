package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SortedSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 005_order_foreign_keys on databases where the legacy migrator or the team's Alembic files made its keys already,
 * under names of their own, or only one of them (a database stamped at 003 that already had the member key): the
 * keys are found by what they do, so the revision completes what is missing, keeps what is there, and its
 * rollback leaves the keys as 004 had them.
 */
class OrderingForeignKeysTest {

    @RegisterExtension
    static final TestDatabase halfMade = TestDatabase.forSystemInPublic("ordering");
    @RegisterExtension
    static final TestDatabase madeByLegacy = TestDatabase.forSystemInPublic("ordering");
    @RegisterExtension
    static final TestDatabase fromEmpty = TestDatabase.forSystemInPublic("ordering");

    private static final String KEYS = """
            SELECT conrelid::regclass || ' ' || conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint
             WHERE contype = 'f' AND confrelid IN ('members'::regclass, 'orders'::regclass) ORDER BY 1
            """;
    private static SortedSet<String> at004;

    @BeforeAll
    static void buildTheDatabases() {
        fromEmpty.updateToTag("004_order_item_status");
        at004 = fromEmpty.snapshot();
        fromEmpty.update();
        for (TestDatabase db : List.of(halfMade, madeByLegacy)) {
            db.updateToTag("004_order_item_status");
            db.execute("""
                    INSERT INTO members (id, member_number, first_name, last_name) VALUES (1, 'M-0001', 'Noura', 'Saleh');
                    INSERT INTO products (id, sku, name, price) VALUES (1, 'COF-250', 'Coffee beans 250 g', 4.50);
                    INSERT INTO orders (id, member_id) VALUES (10, 1);
                    INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (10, 1, 2, 4.50);
                    """);
        }
        halfMade.execute("ALTER TABLE orders ADD CONSTRAINT fk_orders_member FOREIGN KEY (member_id) REFERENCES members (id)");
        madeByLegacy.execute("""
                ALTER TABLE orders ADD CONSTRAINT orders_member_fk FOREIGN KEY (member_id) REFERENCES members (id);
                ALTER TABLE order_items DROP CONSTRAINT order_items_order_id_fkey;
                ALTER TABLE order_items ADD CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE;
                """);
    }

    @Test
    void aMemberKeyThatIsAlreadyThereUnderAnotherNameIsKeptAndTheRestIsCompleted() {
        halfMade.update();

        assertEquals(List.of(
                "order_items order_items_order_id_fkey: FOREIGN KEY (order_id) REFERENCES orders(id) ON DELETE CASCADE",
                "orders fk_orders_member: FOREIGN KEY (member_id) REFERENCES members(id)"), column(halfMade.query(KEYS)));
        halfMade.execute("DELETE FROM orders WHERE id = 10");
        assertEquals(List.of(List.of("0")), halfMade.query("SELECT count(*) FROM order_items"), "an order's lines go with it");

        halfMade.rollbackToTag("004_order_item_status");
        TestDatabase.assertSameSchema(at004, halfMade.snapshot(), "rolled back: the keys as 004 had them");
    }

    @Test
    void keysTheLegacyMigratorMadeUnderItsOwnNamesAreRecordedAsAppliedAndRolledBackByWhatTheyDo() {
        madeByLegacy.update();
        assertEquals("MARK_RAN", madeByLegacy.query("SELECT exectype FROM databasechangelog WHERE id = '005_order_foreign_keys'").get(0).get(0));

        madeByLegacy.rollbackToTag("004_order_item_status");
        TestDatabase.assertSameSchema(at004, madeByLegacy.snapshot(), "their keys, rolled back, leave the keys as 004 had them");
        assertEquals(List.of(List.of("1")), madeByLegacy.query("SELECT count(*) FROM order_items"), "no line was lost");

        madeByLegacy.update();
        TestDatabase.assertSameSchema(fromEmpty.snapshot(), madeByLegacy.snapshot(), "up again: as built from empty");
    }

    private static List<String> column(List<List<String>> rows) {
        return rows.stream().map(row -> row.get(0)).toList();
    }
}
