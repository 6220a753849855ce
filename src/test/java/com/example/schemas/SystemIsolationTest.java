package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A system's label filter (-Dliquibase.labelFilter=SYSTEM) scopes update and rollback to that system, even in a database
 * that holds several: the rollback of one system's last revision as the Maven goal an operator types, the rest as
 * Liquibase's commands in-process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemIsolationTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("provider-registration");

    private static final List<String> PROVIDER_REVISIONS =
            List.of("000_initial_schema", "001_add_version_column", "002_add_rejection_reason");

    private static SortedSet<String> posSchema;

    @Test
    @Order(1)
    void updateWithALabelFilterDeploysThatSystemAlone() {
        db.update();
        assertEquals(PROVIDER_REVISIONS, db.appliedRevisions());
        assertEquals(List.of(List.of("provider_registration")), db.query("SELECT nspname FROM pg_namespace"
                + " WHERE nspname IN ('pharmafleet', 'provider_registration', 'pandac_pos')"));
    }

    @Test
    @Order(2)
    void rollbackWithALabelFilterUndoesThatSystemsLastRevisionNotTheLastOneApplied() {
        db.liquibase("update", Map.of("labelFilter", "pandac-pos"));
        posSchema = posObjects(db.snapshot());
        assertTrue(posSchema.contains("table pandac_pos.users"));

        Maven.Result result = Maven.against(db, "liquibase:rollback", "-Dliquibase.labelFilter=provider-registration",
                "-Dliquibase.rollbackCount=1");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(List.of("000_initial_schema", "001_add_version_column", "pandac_pos_baseline", "196993effbf8"),
                db.appliedRevisions());
        TestDatabase.assertSameSchema(posSchema, posObjects(db.snapshot()), "Pandac POS, deployed last, is untouched");
    }

    @Test
    @Order(3)
    void downgradeToBaseOfOneSystemLeavesTheOtherAsItWas() {
        db.liquibase("rollbackToDate", Map.of("date", Date.from(Instant.EPOCH)));
        assertEquals(List.of("pandac_pos_baseline", "196993effbf8"), db.appliedRevisions());
        SortedSet<String> left = db.snapshot();
        TestDatabase.assertSameSchema(posSchema, posObjects(left), "Pandac POS is as it was");
        left.removeAll(posSchema);
        assertEquals(Set.of("schema public"), left, "nothing else is left");
    }

    private static SortedSet<String> posObjects(SortedSet<String> snapshot) {
        return snapshot.stream().filter(line -> line.contains(" pandac_pos")).collect(Collectors.toCollection(TreeSet::new));
    }
}
