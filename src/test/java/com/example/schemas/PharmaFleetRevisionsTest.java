package com.example.schemas;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestFactory;

/**
 * Walks PharmaFleet's history the way the seed describes it: each revision, once applied, shows exactly what
 * the seed says it adds; rolled back, it leaves the schema exactly as the revision before; applied again, the
 * same schema as the first time.
 */
class PharmaFleetRevisionsTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("pharmafleet");

    private static final Revision.Schema S = new Revision.Schema("pharmafleet");

    private static final List<Revision> HISTORY = List.of(
            new Revision("0ad0e83f95f1", List.of(
                    "schema pharmafleet",
                    "table pharmafleet.user", "table pharmafleet.warehouse", "table pharmafleet.driver",
                    "table pharmafleet.order", "table pharmafleet.orderstatushistory", "table pharmafleet.proofofdelivery",
                    "table pharmafleet.paymentcollection", "table pharmafleet.notification",
                    "table pharmafleet.driverlocation", "table pharmafleet.auditlog",
                    "type pharmafleet.paymentmethod CASH,KNET,CREDIT_CARD",
                    S.column("user.id", "integer not null identity by default"),
                    S.column("user.email", "character varying not null"),
                    S.column("user.hashed_password", "character varying not null"),
                    S.column("user.is_active", "boolean not null default true"),
                    S.column("user.is_superuser", "boolean not null default false"),
                    S.column("user.role", "pharmafleet.userrole not null default 'DRIVER'::pharmafleet.userrole"),
                    S.column("warehouse.location", "geometry(Point,4326) null"),
                    S.column("driverlocation.location", "geometry(Point,4326) not null"),
                    S.column("driver.user_id", "integer not null"),
                    S.column("driver.biometric_id", "character varying null"),
                    S.column("driver.vehicle_info", "character varying null"),
                    S.column("order.customer_info", "jsonb not null"),
                    S.column("order.status", "pharmafleet.orderstatus not null default 'PENDING'::pharmafleet.orderstatus"),
                    S.column("order.payment_method", "pharmafleet.paymentmethod not null"),
                    S.column("order.total_amount", "numeric(12,3) not null"),
                    S.column("order.created_at", "timestamp without time zone not null default (now() AT TIME ZONE 'utc'::text)"),
                    S.column("order.updated_at", "timestamp without time zone not null default (now() AT TIME ZONE 'utc'::text)"),
                    S.index("ix_user_email", "CREATE UNIQUE INDEX ix_user_email ON pharmafleet.\"user\" USING btree (email)"),
                    S.index("ix_warehouse_code", "CREATE UNIQUE INDEX ix_warehouse_code ON pharmafleet.warehouse USING btree (code)"),
                    S.index("ix_order_sales_order_number",
                            "CREATE UNIQUE INDEX ix_order_sales_order_number ON pharmafleet.\"order\" USING btree (sales_order_number)"),
                    S.constraint("driver.driver_user_id_fkey", "FOREIGN KEY (user_id) REFERENCES pharmafleet.\"user\"(id)"),
                    S.constraint("driver.driver_user_id_key", "UNIQUE (user_id)"),
                    S.constraint("order.order_driver_id_fkey", "FOREIGN KEY (driver_id) REFERENCES pharmafleet.driver(id)"),
                    S.constraint("order.order_warehouse_id_fkey", "FOREIGN KEY (warehouse_id) REFERENCES pharmafleet.warehouse(id)"),
                    S.constraint("orderstatushistory.orderstatushistory_order_id_fkey",
                            "FOREIGN KEY (order_id) REFERENCES pharmafleet.\"order\"(id) ON DELETE CASCADE")),
                    List.of("table public.spatial_ref_sys", "table pharmafleet.spatial_ref_sys", "table pharmafleet.layer",
                            "table pharmafleet.topology")),
            new Revision("add_is_archived_column", List.of(
                    S.column("order.is_archived", "boolean not null default false"),
                    S.index("ix_order_is_archived", "CREATE INDEX ix_order_is_archived ON pharmafleet.\"order\" USING btree (is_archived)")),
                    List.of()),
            new Revision("5642bd73b6d8", List.of(
                    S.column("driver.last_online_at", "timestamp with time zone null"),
                    S.column("user.fcm_token", "character varying null")),
                    List.of("table pharmafleet.spatial_ref_sys", "table pharmafleet.layer", "table pharmafleet.topology")),
            new Revision("add_phone_field_to_user", List.of(S.column("user.phone", "character varying null")), List.of()),
            new Revision("add_vehicle_type_to_driver", List.of(S.column("driver.vehicle_type", "character varying null")), List.of()),
            new Revision("a8f3c2d91e57", List.of(
                    S.column("order.delivered_at", "timestamp with time zone null"),
                    S.index("ix_order_delivered_at", "CREATE INDEX ix_order_delivered_at ON pharmafleet.\"order\" USING btree (delivered_at)")),
                    List.of()),
            new Revision("b7e4d2f1a3c9", List.of(
                    S.column("order.assigned_at", "timestamp with time zone null"),
                    S.column("order.picked_up_at", "timestamp with time zone null"),
                    S.column("order.notes", "text null"),
                    S.column("order.sales_track", "character varying null"),
                    S.column("driver.code", "character varying null"),
                    S.index("ix_order_assigned_at", "CREATE INDEX ix_order_assigned_at ON pharmafleet.\"order\" USING btree (assigned_at)"),
                    S.index("ix_driver_code", "CREATE UNIQUE INDEX ix_driver_code ON pharmafleet.driver USING btree (code)")),
                    List.of()),
            new Revision("c8f3a1b2d4e5", List.of(S.column("order.sales_taker", "character varying null")),
                    List.of(S.column("order.sales_track", "character varying null"))));

    @TestFactory
    Stream<DynamicTest> eachRevisionAppliesAsTheSeedSaysAndRollsBackToExactlyThePreviousSchema() {
        return Revision.walk(db, HISTORY);
    }
}
