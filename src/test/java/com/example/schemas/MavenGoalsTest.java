package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.SortedSet;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The README's Maven commands, run as a user types them against one system's database (PharmaFleet's here),
 * against a throwaway database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MavenGoalsTest {

    private static final List<String> ALL_REVISIONS = List.of("0ad0e83f95f1", "add_is_archived_column", "5642bd73b6d8",
            "add_phone_field_to_user", "add_vehicle_type_to_driver", "a8f3c2d91e57", "b7e4d2f1a3c9", "c8f3a1b2d4e5");
    private static final String SYSTEM = "-Dliquibase.labelFilter=pharmafleet";

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("pharmafleet");
    /** For autogenerate: PharmaFleet at head in public, and a copy where a developer tried a change by hand. */
    @RegisterExtension
    static final TestDatabase atHead = TestDatabase.forSystemInPublic("pharmafleet");
    @RegisterExtension
    static final TestDatabase tried = TestDatabase.forSystemInPublic("pharmafleet");

    @Test
    @Order(1)
    void upgradeToARevisionAppliesItAndNothingAfterIt() {
        Maven.Result result = Maven.against(db, "liquibase:update", SYSTEM, "-Dliquibase.toTag=a8f3c2d91e57");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("environments/local.properties"), "local is the default environment");
        assertEquals(ALL_REVISIONS.subList(0, 6), db.appliedRevisions());
    }

    @Test
    @Order(2)
    void upgradeToAnUnknownRevisionFailsAndAppliesNothing() {
        Maven.Result result = Maven.against(db, "liquibase:update", SYSTEM, "-Dliquibase.toTag=no_such_revision");
        assertNotEquals(0, result.exitCode());
        assertTrue(result.output().contains("-Dliquibase.toTag=no_such_revision is not a revision of pharmafleet; its revisions are:"
                + " 0ad0e83f95f1, add_is_archived_column,"), result.output());
        assertEquals(ALL_REVISIONS.subList(0, 6), db.appliedRevisions());
    }

    @Test
    @Order(3)
    void upgradePlusOneAppliesTheNextRevisionOnly() {
        Maven.Result result = Maven.against(db, "liquibase:update", SYSTEM, "-Dliquibase.changesToApply=1");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(ALL_REVISIONS.subList(0, 7), db.appliedRevisions());
    }

    @Test
    @Order(4)
    void upgradeHeadThenDowngradeOneUndoesExactlyTheLastRevision() {
        assertEquals(0, Maven.against(db, "liquibase:update", SYSTEM).exitCode());
        assertEquals(ALL_REVISIONS, db.appliedRevisions());

        Maven.Result result = Maven.against(db, "liquibase:rollback", SYSTEM, "-Dliquibase.rollbackCount=1");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(ALL_REVISIONS.subList(0, 7), db.appliedRevisions());
        assertEquals(List.of(List.of("sales_track")), db.query("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = 'pharmafleet' AND table_name = 'order' AND column_name LIKE 'sales_t%'"));
    }

    @Test
    @Order(5)
    void downgradeToARevisionKeepsThatRevision() {
        Maven.Result result = Maven.against(db, "liquibase:rollback", SYSTEM, "-Dliquibase.rollbackTag=add_phone_field_to_user");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(ALL_REVISIONS.subList(0, 4), db.appliedRevisions());
    }

    @Test
    @Order(6)
    void downgradeToAnUnknownRevisionFailsAndRollsBackNothing() {
        Maven.Result result = Maven.against(db, "liquibase:rollback", SYSTEM, "-Dliquibase.rollbackTag=no_such_revision");
        assertNotEquals(0, result.exitCode());
        assertTrue(result.output().contains("-Dliquibase.rollbackTag=no_such_revision is not a revision of pharmafleet; its revisions"
                + " are: 0ad0e83f95f1,"), result.output());
        assertEquals(ALL_REVISIONS.subList(0, 4), db.appliedRevisions());
    }

    @Test
    @Order(7)
    void currentHistoryAndStatusTellWhereTheDatabaseIsInRevisionIds() {
        Maven.Result all = Maven.against(db, "antrun:run@current", "liquibase:history");
        assertEquals(0, all.exitCode(), all.output());
        String current = all.of("antrun:run@current");
        assertTrue(current.contains("pharmafleet,add_phone_field_to_user,"), current);
        assertTrue(current.contains("ordering,base,"), "a system with nothing applied is at base:\n" + current);
        String history = all.of("liquibase:history");
        ALL_REVISIONS.subList(0, 4).forEach(revision -> assertTrue(history.contains("| " + revision + " "), revision));
        assertFalse(history.contains("| add_vehicle_type_to_driver "), "history lists what is applied");

        Maven.Result oneSystem = Maven.against(db, "antrun:run@current", "antrun:run@history", "liquibase:status", SYSTEM,
                "-Dliquibase.verbose=true");
        assertEquals(0, oneSystem.exitCode(), oneSystem.output());
        String systemCurrent = oneSystem.of("antrun:run@current");
        assertTrue(systemCurrent.contains("pharmafleet,add_phone_field_to_user,"), systemCurrent);
        assertFalse(systemCurrent.contains("ordering,"), "the label filter names the systems to show:\n" + systemCurrent);
        String systemHistory = oneSystem.of("antrun:run@history");
        ALL_REVISIONS.subList(0, 4).forEach(revision -> assertTrue(systemHistory.contains("pharmafleet," + revision + ",applied,"), revision));
        assertFalse(systemHistory.contains("add_vehicle_type_to_driver"), "history lists what is applied");
        String status = oneSystem.of("liquibase:status");
        assertTrue(status.contains("4 changesets have not been applied"), status);
        ALL_REVISIONS.subList(4, 8).forEach(revision -> assertTrue(status.contains("pharmafleet::" + revision + "::pharmafleet"),
                revision + " is pending"));
    }

    @Test
    @Order(8)
    void sqlPreviewsWriteTheirOwnFilesAndChangeNothing() throws IOException {
        SortedSet<String> schema = db.snapshot();

        Map<String, String> previews = Maven.previews(db, List.of("updateSQL", "rollbackSQL", "futureRollbackSQL"), SYSTEM,
                "-Dliquibase.rollbackCount=1");
        String updateSql = previews.get("updateSQL");
        String rollbackSql = previews.get("rollbackSQL");
        String futureSql = previews.get("futureRollbackSQL");
        assertTrue(updateSql.contains("ALTER TABLE pharmafleet.\"order\" RENAME COLUMN sales_track TO sales_taker"), updateSql);
        assertFalse(updateSql.contains("CREATE TABLE pharmafleet"), "only what is not applied yet");
        assertTrue(rollbackSql.contains("ALTER TABLE pharmafleet.\"user\" DROP COLUMN phone"), rollbackSql);
        assertTrue(futureSql.contains("ALTER TABLE pharmafleet.\"order\" RENAME COLUMN sales_taker TO sales_track"), futureSql);

        TestDatabase.assertSameSchema(schema, db.snapshot(), "previews leave the schema alone");
        assertEquals(ALL_REVISIONS.subList(0, 4), db.appliedRevisions());
    }

    @Test
    @Order(9)
    void downgradeToBaseRollsBackEveryPharmaFleetRevision() {
        Maven.Result result = Maven.against(db, "liquibase:rollback", SYSTEM, "-Dliquibase.rollbackDate=1970-01-01");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(List.of(), db.appliedRevisions());
        assertEquals(List.of(), db.query("SELECT nspname FROM pg_namespace WHERE nspname = 'pharmafleet'"));
    }

    @Test
    @Order(10)
    void stampRecordsRevisionsAsAppliedWithoutRunningThem() {
        db.update();
        SortedSet<String> head = db.snapshot();
        db.execute("DELETE FROM databasechangelog");

        Maven.Result unknown = Maven.against(db, "liquibase:changelogSyncToTag", SYSTEM, "-Dliquibase.toTag=b7e4d2f1");
        assertNotEquals(0, unknown.exitCode());
        assertTrue(unknown.output().contains("-Dliquibase.toTag=b7e4d2f1 is not a revision of pharmafleet"), unknown.output());
        assertEquals(List.of(), db.appliedRevisions(), "an unknown revision stamps nothing (Liquibase alone would stamp all)");
        Maven.Result otherSystems = Maven.against(db, "liquibase:changelogSyncToTag", SYSTEM, "-Dliquibase.toTag=002_categories");
        assertTrue(otherSystems.output().contains("-Dliquibase.toTag=002_categories is not a revision of pharmafleet"),
                "a revision of another system is no revision of this one:\n" + otherSystems.output());
        assertEquals(List.of(), db.appliedRevisions());

        Maven.Result toRevision = Maven.against(db, "liquibase:changelogSyncToTag", "antrun:run@history", SYSTEM,
                "-Dliquibase.toTag=b7e4d2f1a3c9");
        assertEquals(0, toRevision.exitCode(), toRevision.output());
        assertEquals(ALL_REVISIONS.subList(0, 7), db.appliedRevisions());
        ALL_REVISIONS.subList(0, 7).forEach(revision -> assertTrue(toRevision.output().contains("pharmafleet," + revision + ",applied,"),
                "the stamp lists what it recorded: " + revision + "\n" + toRevision.output()));

        Maven.Result toHead = Maven.against(db, "liquibase:changelogSync", SYSTEM);
        assertEquals(0, toHead.exitCode(), toHead.output());
        assertEquals(ALL_REVISIONS, db.appliedRevisions());
        TestDatabase.assertSameSchema(head, db.snapshot(), "stamping runs nothing");
    }

    @Test
    @Order(11)
    void autogenerateDraftsWhatADeveloperChangedByHandInAFileOfItsOwnAndLeavesOutPostgisLiquibaseAndAlembicTables() throws IOException {
        atHead.update();
        tried.update();
        tried.execute("""
                ALTER TABLE driver ADD COLUMN license_number varchar(50);
                CREATE TABLE depot (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name varchar NOT NULL);
                DROP TABLE databasechangelog;
                CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY);
                """);

        Maven.Result draft = Maven.against(atHead, "liquibase:diff", "-Dliquibase.referenceUrl=" + tried.url(),
                "-Dliquibase.referenceUsername=" + tried.username(), "-Dliquibase.referencePassword=" + tried.password());
        assertEquals(0, draft.exitCode(), draft.output());
        Matcher written = Pattern.compile("Differences written to Change Log File, (\\S+/draft-\\d{8}-\\d{6}\\.yaml)").matcher(draft.output());
        assertTrue(written.find(), "a new draft, named after when it was made, and its path:\n" + draft.output());
        assertTrue(draft.output().contains(Path.of(written.group(1)).getFileName() + " does not exist, creating"),
                "a file of its own:\n" + draft.output());
        String yaml = Files.readString(Path.of(written.group(1)));
        assertTrue(yaml.contains("name: license_number") && yaml.contains("tableName: depot"), yaml);
        for (String notOurs : List.of("spatial_ref_sys", "geometry_columns", "databasechangelog", "alembic_version")) {
            assertFalse(yaml.contains(notOurs), notOurs + " is left out:\n" + yaml);
        }
    }
}
