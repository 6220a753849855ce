package com.example.schemas;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestFactory;

/** Pandac POS's baseline and its one Alembic revision, each up, down to exactly the schema before, and up again. */
class PandacPosRevisionsTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("pandac-pos");

    private static final Revision.Schema S = new Revision.Schema("pandac_pos");
    private static final String CREATED_AT = "timestamp with time zone not null default now()";

    private static String serialKey(String table) {
        return S.column(table + ".id", "integer not null default nextval('pandac_pos." + table + "_id_seq'::regclass)");
    }

    private static final List<Revision> HISTORY = List.of(
            new Revision("pandac_pos_baseline", List.of(
                    "schema pandac_pos",
                    S.table("users"), S.table("customers"), S.table("products"), S.table("orders"), S.table("order_items"),
                    S.table("payments"),
                    serialKey("users"), serialKey("customers"), serialKey("products"), serialKey("orders"),
                    serialKey("order_items"), serialKey("payments"),
                    "sequence pandac_pos.users_id_seq integer owned by pandac_pos.users.id",
                    "sequence pandac_pos.payments_id_seq integer owned by pandac_pos.payments.id",
                    S.column("users.username", "character varying not null"),
                    S.column("users.role", "character varying not null default 'cashier'::character varying"),
                    S.column("users.created_at", CREATED_AT),
                    S.column("users.updated_at", "timestamp with time zone null"),
                    S.column("customers.name", "character varying not null"),
                    S.column("customers.email", "character varying not null"),
                    S.column("customers.phone", "character varying null"),
                    S.column("products.price", "numeric(10,2) not null"),
                    S.column("products.stock_quantity", "integer not null default 0"),
                    S.column("orders.customer_id", "integer null"),
                    S.column("orders.user_id", "integer not null"),
                    S.column("orders.total", "numeric(10,2) not null default 0"),
                    S.column("order_items.quantity", "integer not null"),
                    S.column("payments.paid_at", CREATED_AT),
                    S.constraint("users.users_email_key", "UNIQUE (email)"),
                    S.constraint("users.users_username_key", "UNIQUE (username)"),
                    S.constraint("customers.customers_email_key", "UNIQUE (email)"),
                    S.constraint("products.products_sku_key", "UNIQUE (sku)"),
                    S.constraint("products.products_price_check", "CHECK ((price >= (0)::numeric))"),
                    S.constraint("order_items.order_items_quantity_check", "CHECK ((quantity > 0))"),
                    S.constraint("payments.payments_amount_check", "CHECK ((amount > (0)::numeric))"),
                    S.constraint("orders.orders_customer_id_fkey", "FOREIGN KEY (customer_id) REFERENCES pandac_pos.customers(id)"),
                    S.constraint("order_items.order_items_order_id_fkey",
                            "FOREIGN KEY (order_id) REFERENCES pandac_pos.orders(id) ON DELETE CASCADE"),
                    S.constraint("payments.payments_order_id_fkey", "FOREIGN KEY (order_id) REFERENCES pandac_pos.orders(id)"),
                    S.index("ix_order_items_order_id",
                            "CREATE INDEX ix_order_items_order_id ON pandac_pos.order_items USING btree (order_id)")),
                    List.of()),
            new Revision("196993effbf8", List.of(S.column("users.is_active", "boolean not null default true")), List.of()));

    @TestFactory
    Stream<DynamicTest> eachRevisionAppliesAndRollsBackToExactlyThePreviousSchema() {
        return Revision.walk(db, HISTORY);
    }
}
