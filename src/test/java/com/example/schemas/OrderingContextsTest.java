package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tag-filtered deployments: -Dliquibase.contexts=TAG applies the revisions carrying that tag and nothing else,
 * updateSQL with the same filter previews exactly those statements, and a later unfiltered update completes the
 * database to the same schema as one deployed without filters.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderingContextsTest {

    @RegisterExtension
    static final TestDatabase filtered = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase previewed = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase unfiltered = TestDatabase.forSystem("ordering");

    private static final String ORDERING = "-Dliquibase.labelFilter=ordering";
    private static final String CHANGELOG_ROWS = "SELECT id, exectype, contexts, tag FROM databasechangelog ORDER BY orderexecuted";

    @Test
    @Order(1)
    void theSchemaContextDeploysTheBaseSchemaAlone() {
        for (TestDatabase db : List.of(filtered, previewed)) {
            Maven.Result result = Maven.against(db, "liquibase:update", ORDERING, "-Dliquibase.contexts=schema");
            assertEquals(0, result.exitCode(), result.output());
            assertEquals(List.of("001_initial_schema"), db.appliedRevisions());
        }
    }

    @Test
    @Order(2)
    void theOrdersContextAppliesTheOrdersRevisionsAndItsPreviewIsExactlyWhatItRuns() throws IOException {
        String previewSql = Maven.preview(filtered, "updateSQL", ORDERING, "-Dliquibase.contexts=orders");

        Maven.Result result = Maven.against(filtered, "liquibase:update", ORDERING, "-Dliquibase.contexts=orders");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(List.of("001_initial_schema", "004_order_item_status", "005_order_foreign_keys"), filtered.appliedRevisions(),
                "the revisions tagged orders, and nothing tagged otherwise");

        previewed.execute(previewSql);
        assertEquals(filtered.query(CHANGELOG_ROWS), previewed.query(CHANGELOG_ROWS), "the preview records the same revisions");
        TestDatabase.assertSameSchema(filtered.snapshot(), previewed.snapshot(), "running the preview's SQL vs. the filtered update");
    }

    @Test
    @Order(3)
    void aLaterUnfilteredUpdateAppliesTheRestAndReachesTheSchemaOfAnUnfilteredDeployment() {
        Maven.Result rest = Maven.against(filtered, "liquibase:update", ORDERING);
        assertEquals(0, rest.exitCode(), rest.output());
        assertEquals(List.of("001_initial_schema", "004_order_item_status", "005_order_foreign_keys", "002_categories",
                "003_member_fields", "006_audit_log_columns", "007_device_sessions"), filtered.appliedRevisions());

        assertEquals(0, Maven.against(unfiltered, "liquibase:update", ORDERING).exitCode());
        TestDatabase.assertSameSchema(unfiltered.snapshot(), filtered.snapshot(), "filtered, then the rest vs. all at once");
    }
}
