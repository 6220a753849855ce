package com.example.schemas;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestFactory;

/** The member ordering service's seven revisions, each up, down to exactly the schema before, and up again. */
class OrderingRevisionsTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("ordering");

    private static final Revision.Schema S = new Revision.Schema("ordering");
    private static final String CREATED_AT = "timestamp with time zone not null default now()";

    private static final List<Revision> HISTORY = List.of(
            new Revision("001_initial_schema", List.of(
                    "schema ordering",
                    S.table("users"), S.table("members"), S.table("products"), S.table("orders"), S.table("order_items"),
                    S.table("audit_log"), S.table("device_sessions"),
                    S.column("users.id", "integer not null identity by default"),
                    S.column("users.username", "character varying(50) not null"),
                    S.column("users.password_hash", "character varying(255) not null"),
                    S.column("users.role", "character varying(20) not null default 'staff'::character varying"),
                    S.column("members.member_number", "character varying(20) not null"),
                    S.column("members.email", "character varying(255) null"),
                    S.column("products.price", "numeric(10,2) not null"),
                    S.column("orders.member_id", "integer not null"),
                    S.column("orders.status", "character varying(20) not null default 'pending'::character varying"),
                    S.column("orders.created_at", CREATED_AT),
                    S.column("audit_log.id", "bigint not null identity by default"),
                    S.column("audit_log.details", "jsonb null"),
                    S.column("device_sessions.expires_at", "timestamp with time zone not null"),
                    S.constraint("members.members_member_number_key", "UNIQUE (member_number)"),
                    S.constraint("order_items.order_items_order_id_fkey", "FOREIGN KEY (order_id) REFERENCES ordering.orders(id)"),
                    S.constraint("order_items.order_items_product_id_fkey", "FOREIGN KEY (product_id) REFERENCES ordering.products(id)"),
                    S.constraint("order_items.order_items_quantity_check", "CHECK ((quantity > 0))"),
                    S.constraint("device_sessions.device_sessions_user_id_fkey",
                            "FOREIGN KEY (user_id) REFERENCES ordering.users(id) ON DELETE CASCADE"),
                    S.index("ix_orders_member_id", "CREATE INDEX ix_orders_member_id ON ordering.orders USING btree (member_id)")),
                    List.of(S.constraint("orders.orders_member_id_fkey", "FOREIGN KEY (member_id) REFERENCES ordering.members(id)"))),
            new Revision("002_categories", List.of(
                    S.table("categories"),
                    S.column("categories.name", "character varying(100) not null"),
                    S.constraint("categories.categories_name_key", "UNIQUE (name)"),
                    S.column("products.category_id", "integer null"),
                    S.constraint("products.products_category_id_fkey",
                            "FOREIGN KEY (category_id) REFERENCES ordering.categories(id) ON DELETE SET NULL"),
                    S.index("ix_products_category_id",
                            "CREATE INDEX ix_products_category_id ON ordering.products USING btree (category_id)")),
                    List.of()),
            new Revision("003_member_fields", List.of(
                    S.column("members.dob", "date null"),
                    S.column("members.category_id", "integer null"),
                    S.constraint("members.members_category_id_fkey",
                            "FOREIGN KEY (category_id) REFERENCES ordering.categories(id) ON DELETE SET NULL"),
                    S.index("ix_members_category_id", "CREATE INDEX ix_members_category_id ON ordering.members USING btree (category_id)")),
                    List.of()),
            new Revision("004_order_item_status", List.of(
                    S.column("order_items.status", "character varying(20) not null default 'pending'::character varying"),
                    S.column("order_items.status_updated_at", "timestamp with time zone null"),
                    S.constraint("order_items.order_items_status_check", "CHECK (((status)::text = ANY ((ARRAY["
                            + "'pending'::character varying, 'preparing'::character varying, 'ready'::character varying,"
                            + " 'delivered'::character varying, 'cancelled'::character varying])::text[])))"),
                    S.index("ix_order_items_status", "CREATE INDEX ix_order_items_status ON ordering.order_items USING btree (status)")),
                    List.of()),
            new Revision("005_order_foreign_keys", List.of(
                    S.constraint("orders.orders_member_id_fkey", "FOREIGN KEY (member_id) REFERENCES ordering.members(id)"),
                    S.constraint("order_items.order_items_order_id_fkey",
                            "FOREIGN KEY (order_id) REFERENCES ordering.orders(id) ON DELETE CASCADE")),
                    List.of(S.table("orphaned_orders"), S.table("orphaned_order_items"),
                            S.constraint("order_items.order_items_order_id_fkey", "FOREIGN KEY (order_id) REFERENCES ordering.orders(id)"))),
            new Revision("006_audit_log_columns", List.of(
                    S.column("audit_log.user_id", "integer null"),
                    S.column("audit_log.entity_type", "character varying(50) null"),
                    S.column("audit_log.entity_id", "character varying(64) null"),
                    S.column("audit_log.ip_address", "inet null"),
                    S.constraint("audit_log.audit_log_user_id_fkey", "FOREIGN KEY (user_id) REFERENCES ordering.users(id) ON DELETE SET NULL"),
                    S.index("ix_audit_log_entity", "CREATE INDEX ix_audit_log_entity ON ordering.audit_log USING btree (entity_type, entity_id)")),
                    List.of()),
            new Revision("007_device_sessions", List.of(
                    S.column("device_sessions.device_id", "character varying(255) null"),
                    S.column("device_sessions.user_agent", "text null"),
                    S.column("device_sessions.ip_address", "inet null"),
                    S.column("device_sessions.last_seen_at", "timestamp with time zone null"),
                    S.column("device_sessions.revoked_at", "timestamp with time zone null"),
                    S.index("ix_device_sessions_user_id_device_id",
                            "CREATE INDEX ix_device_sessions_user_id_device_id ON ordering.device_sessions USING btree (user_id, device_id)")),
                    List.of()));

    @TestFactory
    Stream<DynamicTest> eachRevisionAppliesAsItsSeedEntrySaysAndRollsBackToExactlyThePreviousSchema() {
        return Revision.walk(db, HISTORY);
    }
}
