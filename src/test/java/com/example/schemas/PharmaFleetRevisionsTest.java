package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
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
    static final TestDatabase db = new TestDatabase();

    private record Revision(String id, List<String> present, List<String> absent) {}

    private static final String S = "pharmafleet.";

    private static String column(String tableColumn, String typeAndRest) { return "column " + S + tableColumn + " " + typeAndRest; }
    private static String index(String name, String definition) { return "index " + S + name + " " + definition; }
    private static String constraint(String tableName, String definition) { return "constraint " + S + tableName + " " + definition; }

    private static final List<Revision> HISTORY = List.of(
            new Revision("0ad0e83f95f1", List.of(
                    "schema pharmafleet",
                    "table pharmafleet.user", "table pharmafleet.warehouse", "table pharmafleet.driver",
                    "table pharmafleet.order", "table pharmafleet.orderstatushistory", "table pharmafleet.proofofdelivery",
                    "table pharmafleet.paymentcollection", "table pharmafleet.notification",
                    "table pharmafleet.driverlocation", "table pharmafleet.auditlog",
                    "type pharmafleet.paymentmethod CASH,KNET,CREDIT_CARD",
                    column("user.id", "integer not null identity by default"),
                    column("user.email", "character varying not null"),
                    column("user.hashed_password", "character varying not null"),
                    column("user.is_active", "boolean not null default true"),
                    column("user.is_superuser", "boolean not null default false"),
                    column("user.role", "pharmafleet.userrole not null default 'DRIVER'::pharmafleet.userrole"),
                    column("warehouse.location", "geometry(Point,4326) null"),
                    column("driverlocation.location", "geometry(Point,4326) not null"),
                    column("driver.user_id", "integer not null"),
                    column("driver.biometric_id", "character varying null"),
                    column("driver.vehicle_info", "character varying null"),
                    column("order.customer_info", "jsonb not null"),
                    column("order.status", "pharmafleet.orderstatus not null default 'PENDING'::pharmafleet.orderstatus"),
                    column("order.payment_method", "pharmafleet.paymentmethod not null"),
                    column("order.total_amount", "numeric(12,3) not null"),
                    column("order.created_at", "timestamp without time zone not null default (now() AT TIME ZONE 'utc'::text)"),
                    column("order.updated_at", "timestamp without time zone not null default (now() AT TIME ZONE 'utc'::text)"),
                    index("ix_user_email", "CREATE UNIQUE INDEX ix_user_email ON pharmafleet.\"user\" USING btree (email)"),
                    index("ix_warehouse_code", "CREATE UNIQUE INDEX ix_warehouse_code ON pharmafleet.warehouse USING btree (code)"),
                    index("ix_order_sales_order_number",
                            "CREATE UNIQUE INDEX ix_order_sales_order_number ON pharmafleet.\"order\" USING btree (sales_order_number)"),
                    constraint("driver.driver_user_id_fkey", "FOREIGN KEY (user_id) REFERENCES pharmafleet.\"user\"(id)"),
                    constraint("driver.driver_user_id_key", "UNIQUE (user_id)"),
                    constraint("order.order_driver_id_fkey", "FOREIGN KEY (driver_id) REFERENCES pharmafleet.driver(id)"),
                    constraint("order.order_warehouse_id_fkey", "FOREIGN KEY (warehouse_id) REFERENCES pharmafleet.warehouse(id)"),
                    constraint("orderstatushistory.orderstatushistory_order_id_fkey",
                            "FOREIGN KEY (order_id) REFERENCES pharmafleet.\"order\"(id) ON DELETE CASCADE")),
                    List.of("table public.spatial_ref_sys", "table pharmafleet.spatial_ref_sys", "table pharmafleet.layer",
                            "table pharmafleet.topology")),
            new Revision("add_is_archived_column", List.of(
                    column("order.is_archived", "boolean not null default false"),
                    index("ix_order_is_archived", "CREATE INDEX ix_order_is_archived ON pharmafleet.\"order\" USING btree (is_archived)")),
                    List.of()),
            new Revision("5642bd73b6d8", List.of(
                    column("driver.last_online_at", "timestamp with time zone null"),
                    column("user.fcm_token", "character varying null")),
                    List.of("table pharmafleet.spatial_ref_sys", "table pharmafleet.layer", "table pharmafleet.topology")),
            new Revision("add_phone_field_to_user", List.of(column("user.phone", "character varying null")), List.of()),
            new Revision("add_vehicle_type_to_driver", List.of(column("driver.vehicle_type", "character varying null")), List.of()),
            new Revision("a8f3c2d91e57", List.of(
                    column("order.delivered_at", "timestamp with time zone null"),
                    index("ix_order_delivered_at", "CREATE INDEX ix_order_delivered_at ON pharmafleet.\"order\" USING btree (delivered_at)")),
                    List.of()),
            new Revision("b7e4d2f1a3c9", List.of(
                    column("order.assigned_at", "timestamp with time zone null"),
                    column("order.picked_up_at", "timestamp with time zone null"),
                    column("order.notes", "text null"),
                    column("order.sales_track", "character varying null"),
                    column("driver.code", "character varying null"),
                    index("ix_order_assigned_at", "CREATE INDEX ix_order_assigned_at ON pharmafleet.\"order\" USING btree (assigned_at)"),
                    index("ix_driver_code", "CREATE UNIQUE INDEX ix_driver_code ON pharmafleet.driver USING btree (code)")),
                    List.of()),
            new Revision("c8f3a1b2d4e5", List.of(column("order.sales_taker", "character varying null")),
                    List.of(column("order.sales_track", "character varying null"))));

    @TestFactory
    Stream<DynamicTest> eachRevisionAppliesAsTheSeedSaysAndRollsBackToExactlyThePreviousSchema() {
        List<SortedSet<String>> snapshots = new ArrayList<>();
        snapshots.add(db.snapshot());
        return HISTORY.stream().map(revision -> DynamicTest.dynamicTest(revision.id(), () -> {
            SortedSet<String> before = snapshots.get(snapshots.size() - 1);

            db.updateToTag(revision.id());
            SortedSet<String> applied = db.snapshot();
            assertEquals(revision.id(), last(db.appliedRevisions()), "the database carries the revision id as its tag");
            revision.present().forEach(line -> assertTrue(applied.contains(line), () -> "missing: " + line + "\n" + diff(applied, before)));
            revision.absent().forEach(line -> assertFalse(applied.contains(line), () -> "unexpected: " + line));

            db.rollbackCount(1);
            TestDatabase.assertSameSchema(before, db.snapshot(), "rolling back " + revision.id() + " restores the previous schema");

            db.updateToTag(revision.id());
            TestDatabase.assertSameSchema(applied, db.snapshot(), "re-applying " + revision.id() + " gives the same schema");
            snapshots.add(applied);
        }));
    }

    private static String last(List<String> list) { return list.get(list.size() - 1); }

    private static String diff(SortedSet<String> after, SortedSet<String> before) {
        return "added by this revision:\n  " + String.join("\n  ", after.stream().filter(l -> !before.contains(l)).toList());
    }
}
