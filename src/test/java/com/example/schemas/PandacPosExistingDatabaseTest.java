package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A POS database from before Alembic, its tables in public as the application's create_all() built them and
 * holding a day's trade, taken over: the refusals as the Maven goals an operator runs print them, the rest in-process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PandacPosExistingDatabaseTest {

    @RegisterExtension
    static final TestDatabase existing = TestDatabase.forSystemInPublic("pandac-pos");
    @RegisterExtension
    static final TestDatabase fresh = TestDatabase.forSystemInPublic("pandac-pos");

    private static final String POS = "-Dliquibase.labelFilter=pandac-pos";
    private static final String IN_PUBLIC = "-Dpandac_pos.schema=public";

    /** What SQLAlchemy's create_all() emitted for the POS models, before Alembic. */
    private static final String CREATE_ALL = """
            CREATE TABLE users (id SERIAL NOT NULL, username VARCHAR NOT NULL, email VARCHAR NOT NULL,
              hashed_password VARCHAR NOT NULL, full_name VARCHAR, role VARCHAR DEFAULT 'cashier' NOT NULL,
              created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, updated_at TIMESTAMP WITH TIME ZONE,
              PRIMARY KEY (id), UNIQUE (username), UNIQUE (email));
            CREATE TABLE customers (id SERIAL NOT NULL, name VARCHAR NOT NULL, email VARCHAR NOT NULL, phone VARCHAR,
              created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, updated_at TIMESTAMP WITH TIME ZONE,
              PRIMARY KEY (id), UNIQUE (email));
            CREATE TABLE products (id SERIAL NOT NULL, sku VARCHAR NOT NULL, name VARCHAR NOT NULL, description TEXT,
              price NUMERIC(10, 2) NOT NULL, stock_quantity INTEGER DEFAULT 0 NOT NULL,
              created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, updated_at TIMESTAMP WITH TIME ZONE,
              PRIMARY KEY (id), UNIQUE (sku), CONSTRAINT products_price_check CHECK (price >= 0));
            CREATE TABLE orders (id SERIAL NOT NULL, order_number VARCHAR NOT NULL, customer_id INTEGER,
              user_id INTEGER NOT NULL, status VARCHAR DEFAULT 'open' NOT NULL, subtotal NUMERIC(10, 2) DEFAULT 0 NOT NULL,
              tax NUMERIC(10, 2) DEFAULT 0 NOT NULL, total NUMERIC(10, 2) DEFAULT 0 NOT NULL,
              created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, updated_at TIMESTAMP WITH TIME ZONE,
              PRIMARY KEY (id), UNIQUE (order_number), FOREIGN KEY(customer_id) REFERENCES customers (id),
              FOREIGN KEY(user_id) REFERENCES users (id));
            CREATE INDEX ix_orders_customer_id ON orders (customer_id);
            CREATE TABLE order_items (id SERIAL NOT NULL, order_id INTEGER NOT NULL, product_id INTEGER NOT NULL,
              quantity INTEGER NOT NULL, unit_price NUMERIC(10, 2) NOT NULL, line_total NUMERIC(10, 2) NOT NULL,
              PRIMARY KEY (id), FOREIGN KEY(order_id) REFERENCES orders (id) ON DELETE CASCADE,
              FOREIGN KEY(product_id) REFERENCES products (id), CONSTRAINT order_items_quantity_check CHECK (quantity > 0));
            CREATE INDEX ix_order_items_order_id ON order_items (order_id);
            CREATE TABLE payments (id SERIAL NOT NULL, order_id INTEGER NOT NULL, method VARCHAR NOT NULL,
              amount NUMERIC(10, 2) NOT NULL, paid_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
              PRIMARY KEY (id), FOREIGN KEY(order_id) REFERENCES orders (id), CONSTRAINT payments_amount_check CHECK (amount > 0));
            CREATE INDEX ix_payments_order_id ON payments (order_id);
            """;

    private static final String A_DAYS_TRADE = """
            INSERT INTO users (username, email, hashed_password, role) VALUES
              ('mona', 'mona@pandac.example', 'h1', 'manager'), ('sami', 'sami@pandac.example', 'h2', 'cashier');
            INSERT INTO customers (name, email, phone) VALUES ('Layla', 'layla@example.com', '+965 5555 0101');
            INSERT INTO products (sku, name, price, stock_quantity) VALUES ('TEA-01', 'Karak tea', 0.25, 400);
            INSERT INTO orders (order_number, customer_id, user_id, subtotal, total) VALUES
              ('POS-0001', 1, 2, 0.75, 0.75), ('POS-0002', NULL, 2, 0.25, 0.25);
            INSERT INTO order_items (order_id, product_id, quantity, unit_price, line_total) VALUES
              (1, 1, 3, 0.25, 0.75), (2, 1, 1, 0.25, 0.25);
            INSERT INTO payments (order_id, method, amount) VALUES (1, 'card', 0.75), (2, 'cash', 0.25);
            """;

    private static final String TRADE = """
            SELECT o.order_number, coalesce(c.name, 'walk-in'), u.username, i.quantity, p.amount, p.method
              FROM orders o LEFT JOIN customers c ON c.id = o.customer_id JOIN users u ON u.id = o.user_id
              JOIN order_items i ON i.order_id = o.id JOIN payments p ON p.order_id = o.id ORDER BY o.order_number
            """;
    private static final List<List<String>> TRADE_ROWS = List.of(
            List.of("POS-0001", "Layla", "sami", "3", "0.75", "card"), List.of("POS-0002", "walk-in", "sami", "1", "0.25", "cash"));

    @Test
    @Order(1)
    void aDatabaseWithOnlySomeOfThePosTablesStopsTheBaselineNamingWhatIsMissingAndChangesNothing() {
        existing.execute("CREATE TABLE users (id SERIAL PRIMARY KEY); CREATE TABLE orders (id SERIAL PRIMARY KEY)");
        SortedSet<String> before = existing.snapshot();

        Maven.Result result = Maven.against(existing, "liquibase:update", POS, IN_PUBLIC);
        assertNotEquals(0, result.exitCode());
        assertTrue(result.output().contains("Pandac POS: schema public lacks what its migration guide states for revision"
                + " pandac_pos_baseline, so it cannot be taken over, and nothing was recorded or changed."), result.output());
        assertTrue(result.output().contains("\n  - table customers is missing (the guide: \"class Customer(BaseModel)"), result.output());
        for (String table : List.of("order_items", "payments", "products")) {
            assertTrue(result.output().contains("\n  - table " + table + " is missing (the schema from before Alembic,"
                    + " pandac_pos_baseline, is recognised by all its tables)"), result.output());
        }
        TestDatabase.assertSameSchema(before, existing.snapshot(), "a stopped baseline changes nothing");
        assertEquals(List.of(), existing.appliedRevisions());
        existing.execute("DROP TABLE users, orders");
    }

    @Test
    @Order(2)
    void theBaselineIsRecordedAsRanOverExistingTablesAndTheAlembicRevisionRunsOnTop() {
        existing.execute(CREATE_ALL + A_DAYS_TRADE);

        String sql = existing.previewUpdate(Map.of());
        assertTrue(sql.contains("ALTER TABLE public.users ADD is_active BOOLEAN DEFAULT TRUE NOT NULL"), sql);
        assertTrue(TestDatabase.recordsAsRan(sql, "pandac_pos_baseline"), "the preview records the baseline as ran:\n" + sql);
        assertFalse(sql.contains("CREATE TABLE public.users"), "and does not create what exists:\n" + sql);

        existing.update();
        assertEquals(List.of(List.of("pandac_pos_baseline", "MARK_RAN"), List.of("196993effbf8", "EXECUTED")),
                existing.query("SELECT id, exectype FROM databasechangelog ORDER BY orderexecuted"));
        assertEquals(TRADE_ROWS, existing.query(TRADE), "the trade is intact");
        assertEquals(List.of(List.of("mona", "true"), List.of("sami", "true")),
                existing.query("SELECT username, is_active::text FROM users ORDER BY id"), "existing users are active");

        fresh.update();
        TestDatabase.assertSameSchema(fresh.snapshot(), existing.snapshot(),
                "a database taken over has the schema of one built here from empty");
    }

    @Test
    @Order(3)
    void downgradeBaseUndoesTheAlembicRevisionAndKeepsThePreAlembicTables() {
        existing.rollbackToTag("pandac_pos_baseline");
        assertEquals(List.of("pandac_pos_baseline"), existing.appliedRevisions());
        assertEquals(List.of(), existing.query("SELECT FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'is_active'"));
        assertEquals(TRADE_ROWS, existing.query(TRADE));
    }

    @Test
    @Order(4)
    void rollingBackTheBaselineRefusesToDropTablesThatHoldData() {
        SortedSet<String> before = existing.snapshot();

        Maven.Result result = Maven.against(existing, "liquibase:rollback", POS, IN_PUBLIC, "-Dliquibase.rollbackCount=1");
        assertNotEquals(0, result.exitCode());
        assertTrue(result.output().contains("Pandac POS baseline: not dropping tables that hold data: users (2 rows),"
                + " customers (1 rows), products (1 rows), orders (2 rows), order_items (2 rows), payments (2 rows)"), result.output());
        TestDatabase.assertSameSchema(before, existing.snapshot(), "the refused rollback changes nothing");
        assertEquals(TRADE_ROWS, existing.query(TRADE));
        assertEquals(List.of("pandac_pos_baseline"), existing.appliedRevisions());
    }
}
