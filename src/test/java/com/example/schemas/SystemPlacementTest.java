package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The local database, where the ordering service was deployed into public by a command that named the schema, and
 * the commands after it: a command about another system is not held up by the ordering service's place, and one
 * about the ordering service that forgets the schema is refused, its preview as well.
 */
class SystemPlacementTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("ordering, pharmafleet");

    @Test
    void aSystemAimedAtTheWrongSchemaIsRefusedEvenInPreviewWhileAnotherSystemDeploysByTagToARevision() {
        Maven.Result ordering = Maven.against(db, "liquibase:update", "-Dliquibase.labelFilter=ordering", "-Dordering.schema=public");
        assertEquals(0, ordering.exitCode(), ordering.output());

        Maven.Result pharmaFleet = Maven.against(db, "liquibase:update", "-Dliquibase.labelFilter=pharmafleet and (schema or orders)",
                "-Dliquibase.toTag=a8f3c2d91e57");
        assertEquals(0, pharmaFleet.exitCode(), pharmaFleet.output());
        assertEquals(List.of(List.of("0ad0e83f95f1"), List.of("add_is_archived_column"), List.of("a8f3c2d91e57")),
                db.query("SELECT id FROM databasechangelog WHERE filename = 'pharmafleet' ORDER BY orderexecuted"));

        Maven.Result preview = Maven.against(db, "liquibase:updateSQL", "-Dliquibase.labelFilter=ordering");
        assertNotEquals(0, preview.exitCode(), preview.output());
        assertTrue(preview.output().contains("Member ordering service is recorded as deployed, but schema ordering does not hold its"
                + " tables; they are in schema public: set the changelog parameter ordering.schema"), preview.output());
    }
}
