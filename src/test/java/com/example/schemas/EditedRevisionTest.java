package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A revision edited after it was applied: Liquibase refuses the whole update, naming it, and changes nothing. */
class EditedRevisionTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("provider-registration");

    @Test
    void anUpdateWithAnEditedAppliedRevisionFailsNamingItAndChangesNothing(@TempDir Path checkout) throws IOException {
        db.updateToTag("002_add_rejection_reason");
        SortedSet<String> applied = db.snapshot();

        copyChangelogs(checkout);
        Path revision = checkout.resolve("changelog/provider-registration/002_add_rejection_reason.yaml");
        Files.writeString(revision, Files.readString(revision)
                .replace("{name: rejection_reason, type: text}", "{name: rejection_reason, type: varchar(500)}"));

        IllegalStateException refusal = assertThrows(IllegalStateException.class, () -> db.liquibase(checkout, "update", Map.of()));
        assertTrue(refusal.getMessage().contains("check sum")
                && refusal.getMessage().contains("provider-registration::002_add_rejection_reason::provider-registration was: "),
                refusal.getMessage());
        TestDatabase.assertSameSchema(applied, db.snapshot(), "a refused update");
        assertEquals(List.of("000_initial_schema", "001_add_version_column", "002_add_rejection_reason"), db.appliedRevisions());
    }

    private static void copyChangelogs(Path target) throws IOException {
        Files.copy(TestDatabase.PROJECT_DIR.resolve(TestDatabase.MASTER_CHANGELOG), target.resolve(TestDatabase.MASTER_CHANGELOG));
        Path changelogs = TestDatabase.PROJECT_DIR.resolve("changelog");
        try (Stream<Path> files = Files.walk(changelogs)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve("changelog").resolve(changelogs.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
    }
}
