package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SortedSet;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/** The same changelog serves an existing PharmaFleet database, whose tables live in public. */
class SchemaParameterTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("pharmafleet");

    @Test
    void pharmaFleetGoesWhereTheSchemaParameterSaysAndBaseKeepsThatSchema() {
        SortedSet<String> empty = db.snapshot();

        Maven.Result update = Maven.against(db, "liquibase:update", "-Dliquibase.labelFilter=pharmafleet",
                "-Dpharmafleet.schema=public");
        assertEquals(0, update.exitCode(), update.output());
        SortedSet<String> head = db.snapshot();
        assertTrue(head.contains("table public.order"), "tables in public");
        assertTrue(head.contains("column public.order.sales_taker character varying null"));
        assertEquals(List.of(), db.query("SELECT nspname FROM pg_namespace WHERE nspname = 'pharmafleet'"));

        Maven.Result base = Maven.against(db, "liquibase:rollback", "-Dpharmafleet.schema=public",
                "-Dliquibase.rollbackDate=1970-01-01", "-Dliquibase.labelFilter=pharmafleet");
        assertEquals(0, base.exitCode(), base.output());
        TestDatabase.assertSameSchema(empty, db.snapshot(), "base leaves public as it was, and in place");
    }
}
