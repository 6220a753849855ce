package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One rule for Pandac POS, with and without alembic_version: a shop whose create_all() made other choices than the
 * baseline (a loyalty column, no product description, double precision totals, its own check name) is taken over
 * either way with the same drift reported and its trade intact; one whose customers' email is not unique, as the
 * guide's Customer model says it is, is refused either way.
 */
class PandacPosTakeoverTest {

    @RegisterExtension
    static final TestDatabase beforeAlembic = TestDatabase.forSystemInPublic("pandac-pos");
    @RegisterExtension
    static final TestDatabase stampedByAlembic = TestDatabase.forSystemInPublic("pandac-pos");
    @RegisterExtension
    static final TestDatabase downgradedToBase = TestDatabase.forSystemInPublic("pandac-pos");
    @RegisterExtension
    static final TestDatabase notUniqueBeforeAlembic = TestDatabase.forSystemInPublic("pandac-pos");
    @RegisterExtension
    static final TestDatabase notUniqueStamped = TestDatabase.forSystemInPublic("pandac-pos");

    private static final Path REPORT = TestDatabase.OUTPUT.resolve("takeover/pandac-pos-drift.txt");

    /** Their create_all(), written apart from the baseline; CUSTOMER_EMAIL is the customers' email column. */
    private static final String THEIR_CREATE_ALL = """
            CREATE TABLE users (id SERIAL PRIMARY KEY, username VARCHAR NOT NULL UNIQUE, email VARCHAR NOT NULL UNIQUE,
              hashed_password VARCHAR NOT NULL, full_name VARCHAR, role VARCHAR DEFAULT 'cashier' NOT NULL,
              created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, updated_at TIMESTAMP WITH TIME ZONE);
            CREATE TABLE customers (id SERIAL PRIMARY KEY, name VARCHAR NOT NULL, CUSTOMER_EMAIL, phone VARCHAR,
              loyalty_points INTEGER DEFAULT 0, created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, updated_at TIMESTAMP WITH TIME ZONE);
            CREATE TABLE products (id SERIAL PRIMARY KEY, sku VARCHAR NOT NULL UNIQUE, name VARCHAR NOT NULL,
              price NUMERIC(10, 2) NOT NULL CONSTRAINT products_price_check CHECK (price >= 0), stock_quantity INTEGER DEFAULT 0 NOT NULL,
              created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, updated_at TIMESTAMP WITH TIME ZONE);
            CREATE TABLE orders (id SERIAL PRIMARY KEY, order_number VARCHAR NOT NULL UNIQUE, customer_id INTEGER REFERENCES customers (id),
              user_id INTEGER NOT NULL REFERENCES users (id), status VARCHAR DEFAULT 'open' NOT NULL, subtotal NUMERIC(10, 2) DEFAULT 0 NOT NULL,
              tax NUMERIC(10, 2) DEFAULT 0 NOT NULL, total DOUBLE PRECISION DEFAULT 0 NOT NULL,
              created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, updated_at TIMESTAMP WITH TIME ZONE);
            CREATE INDEX ix_orders_customer_id ON orders (customer_id);
            CREATE TABLE order_items (id SERIAL PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
              product_id INTEGER NOT NULL REFERENCES products (id), quantity INTEGER NOT NULL CONSTRAINT order_items_quantity_check CHECK (quantity > 0),
              unit_price NUMERIC(10, 2) NOT NULL, line_total NUMERIC(10, 2) NOT NULL);
            CREATE INDEX ix_order_items_order_id ON order_items (order_id);
            CREATE TABLE payments (id SERIAL PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders (id), method VARCHAR NOT NULL,
              amount NUMERIC(10, 2) NOT NULL CONSTRAINT payments_amount_positive CHECK (amount > 0),
              paid_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL);
            CREATE INDEX ix_payments_order_id ON payments (order_id);
            INSERT INTO users (username, email, hashed_password) VALUES ('sami', 'sami@pandac.example', 'h');
            INSERT INTO customers (name, email, loyalty_points) VALUES ('Layla', 'layla@example.com', 40);
            INSERT INTO products (sku, name, price) VALUES ('TEA-01', 'Karak tea', 0.25);
            INSERT INTO orders (order_number, customer_id, user_id, subtotal, total) VALUES ('POS-0001', 1, 1, 0.75, 0.75);
            INSERT INTO order_items (order_id, product_id, quantity, unit_price, line_total) VALUES (1, 1, 3, 0.25, 0.75);
            INSERT INTO payments (order_id, method, amount) VALUES (1, 'cash', 0.75);
            """;
    private static final String UNIQUE_EMAIL = "email VARCHAR NOT NULL UNIQUE";
    private static final String STAMPED = """
            ALTER TABLE users ADD COLUMN is_active BOOLEAN DEFAULT true NOT NULL;
            CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
            INSERT INTO alembic_version VALUES ('196993effbf8');
            """;

    private static final Set<String> THEIR_CHOICES = Set.of(
            "column customers.loyalty_points is here (integer default 0); the changelog does not build it",
            "column products.description is not here; the changelog builds it (text)",
            "column orders.total is double precision not null default 0 here; the changelog builds numeric(10,2) not null default 0",
            "constraint payments.payments_amount_check is named payments_amount_positive here (CHECK ((amount > (0)::numeric)))");

    private static final String TRADE = "SELECT o.order_number, c.name, c.loyalty_points, i.quantity, p.amount FROM orders o"
            + " JOIN customers c ON c.id = o.customer_id JOIN order_items i ON i.order_id = o.id JOIN payments p ON p.order_id = o.id";

    @Test
    void withOrWithoutAlembicVersionTheShopIsTakenOverWithTheSameDriftAndItsTradeIntact() throws IOException {
        beforeAlembic.execute(THEIR_CREATE_ALL.replace("CUSTOMER_EMAIL", UNIQUE_EMAIL));
        stampedByAlembic.execute(THEIR_CREATE_ALL.replace("CUSTOMER_EMAIL", UNIQUE_EMAIL) + STAMPED);
        List<List<String>> trade = beforeAlembic.query(TRADE);

        beforeAlembic.update();
        assertEquals(THEIR_CHOICES, reportedDrift(), "without alembic_version");
        stampedByAlembic.update();
        assertEquals(THEIR_CHOICES, reportedDrift(), "with alembic_version at 196993effbf8");

        for (TestDatabase shop : List.of(beforeAlembic, stampedByAlembic)) {
            assertEquals(List.of("pandac_pos_baseline", "196993effbf8"), shop.appliedRevisions());
            assertEquals(trade, shop.query(TRADE), "the trade is intact");
            assertEquals(List.of(List.of("true")), shop.query("SELECT is_active::text FROM users"));
        }
        assertEquals(List.of(List.of("196993effbf8")), stampedByAlembic.query("SELECT version_num FROM alembic_version"));

        // Back below the one Alembic revision (which Alembic made, not Liquibase) and forward again, Alembic in step.
        stampedByAlembic.rollbackCount(1);
        assertEquals(List.of("pandac_pos_baseline"), stampedByAlembic.appliedRevisions());
        assertEquals(List.of(), stampedByAlembic.query("SELECT version_num FROM alembic_version"), "Alembic's base: no row");
        assertEquals(List.of(), stampedByAlembic.query("SELECT FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'is_active'"));
        assertEquals(trade, stampedByAlembic.query(TRADE), "the trade is intact below the revision");
        stampedByAlembic.update();
        assertEquals(List.of(List.of("196993effbf8")), stampedByAlembic.query("SELECT version_num FROM alembic_version"));
        assertEquals(List.of(List.of("true")), stampedByAlembic.query("SELECT is_active::text FROM users"));
        assertEquals(trade, stampedByAlembic.query(TRADE), "the trade is intact at head again");

        stampedByAlembic.execute("TRUNCATE users, customers, products, orders, order_items, payments");
        stampedByAlembic.rollbackCount(2);
        assertEquals(List.of(), stampedByAlembic.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                + " AND tablename NOT IN ('databasechangelog', 'databasechangeloglock')"),
                "below the baseline nothing is left, not even the alembic_version that described it");
    }

    /** alembic downgrade base leaves alembic_version empty: the shop is at its baseline. */
    @Test
    void aShopWhoseAlembicVersionIsEmptyAfterDowngradeBaseIsTakenOverAtItsBaseline() throws IOException {
        downgradedToBase.execute(THEIR_CREATE_ALL.replace("CUSTOMER_EMAIL", UNIQUE_EMAIL)
                + "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));");

        downgradedToBase.update();

        assertEquals(THEIR_CHOICES, reportedDrift());
        assertEquals(List.of(List.of("pandac_pos_baseline", "MARK_RAN"), List.of("196993effbf8", "EXECUTED")),
                downgradedToBase.query("SELECT id, exectype FROM databasechangelog ORDER BY orderexecuted"));
        assertEquals(List.of(List.of("196993effbf8")), downgradedToBase.query("SELECT version_num FROM alembic_version"));
    }

    @Test
    void withOrWithoutAlembicVersionCustomersWhoseEmailIsNotUniqueAreRefusedAndLeftAsTheyWere() {
        notUniqueBeforeAlembic.execute(THEIR_CREATE_ALL.replace("CUSTOMER_EMAIL", "email VARCHAR NOT NULL"));
        notUniqueStamped.execute(THEIR_CREATE_ALL.replace("CUSTOMER_EMAIL", "email VARCHAR NOT NULL") + STAMPED);

        for (TestDatabase shop : List.of(notUniqueBeforeAlembic, notUniqueStamped)) {
            SortedSet<String> before = shop.snapshot();
            IllegalStateException refusal = assertThrows(IllegalStateException.class, shop::update);
            assertTrue(refusal.getMessage().contains("\n  - column customers.email is not unique (the guide: \"class Customer(BaseModel)"),
                    refusal.getMessage());
            TestDatabase.assertSameSchema(before, shop.snapshot(), "a refused take-over changes nothing");
            assertEquals(List.of(), shop.appliedRevisions());
        }
    }

    private static Set<String> reportedDrift() throws IOException {
        return new TreeSet<>(Files.readAllLines(REPORT).stream().filter(line -> !line.startsWith("#")).toList());
    }
}
