package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tag-filtered deployments: a revision's tags are labels beside its system's, so
 * -Dliquibase.labelFilter="ordering and TAG" applies the revisions carrying that tag and nothing else, updateSQL
 * with the same filter previews exactly those statements, and a later update by system alone completes the database
 * to the same schema as one deployed without tags. A context, which would filter nothing, is refused. The update by
 * tag and the context are Maven goals as an operator types them; the rest runs in-process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderingTagFilterTest {

    @RegisterExtension
    static final TestDatabase filtered = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase previewed = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase unfiltered = TestDatabase.forSystem("ordering");

    private static final String CHANGELOG_ROWS = "SELECT id, exectype, labels, tag FROM databasechangelog ORDER BY orderexecuted";

    @Test
    @Order(1)
    void theSchemaTagDeploysTheBaseSchemaAlone() {
        for (TestDatabase db : List.of(filtered, previewed)) {
            db.liquibase("update", Map.of("labelFilter", "ordering and schema"));
            assertEquals(List.of("001_initial_schema"), db.appliedRevisions());
        }
    }

    @Test
    @Order(2)
    void theOrdersTagAppliesTheOrdersRevisionsAndItsPreviewIsExactlyWhatItRuns() {
        String previewSql = filtered.previewUpdate(Map.of("labelFilter", "ordering and orders"));

        Maven.Result result = Maven.against(filtered, "liquibase:update", "-Dliquibase.labelFilter=ordering and orders");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(List.of("001_initial_schema", "004_order_item_status", "005_order_foreign_keys"), filtered.appliedRevisions(),
                "the revisions tagged orders, and nothing tagged otherwise");

        previewed.runScript(previewSql);
        assertEquals(filtered.query(CHANGELOG_ROWS), previewed.query(CHANGELOG_ROWS), "the preview records the same revisions");
        TestDatabase.assertSameSchema(filtered.snapshot(), previewed.snapshot(), "running the preview's SQL vs. the filtered update");
    }

    @Test
    @Order(3)
    void aTagGivenAsAContextIsRefusedBeforeAnythingIsDoneSinceItWouldFilterNothing() {
        List<List<String>> before = filtered.query(CHANGELOG_ROWS);
        Maven.Result contexts = Maven.against(filtered, "liquibase:update", "-Dliquibase.labelFilter=ordering", "-Dliquibase.contexts=orders");
        assertNotEquals(0, contexts.exitCode(), contexts.output());
        assertTrue(contexts.output().contains("-Dliquibase.contexts=orders filters nothing here, no revision has a context"), contexts.output());
        assertEquals(before, filtered.query(CHANGELOG_ROWS));
    }

    @Test
    @Order(4)
    void aLaterUpdateOfTheSystemAppliesTheRest() {
        filtered.update();
        assertEquals(List.of("001_initial_schema", "004_order_item_status", "005_order_foreign_keys", "002_categories",
                "003_member_fields", "006_audit_log_columns", "007_device_sessions"), filtered.appliedRevisions());

        unfiltered.update();
        TestDatabase.assertSameSchema(unfiltered.snapshot(), filtered.snapshot(), "by tag, then the rest vs. all at once");
    }
}
