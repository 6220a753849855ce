package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Everyday slips that Liquibase would take and then do the wrong thing with, exit 0: each stops before anything is
 * done, saying what was wrong and what there is instead, and the database is as it was.
 */
class OperatorSlipsTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase halfBuilt = TestDatabase.forSystem("pharmafleet");
    @RegisterExtension
    static final TestDatabase alembicManaged = TestDatabase.forSystemInPublic("ordering");

    private static final String HISTORY = "SELECT id, exectype, orderexecuted FROM databasechangelog ORDER BY orderexecuted";
    private static List<List<String>> history;

    @BeforeAll
    static void deployTheOrderingService() {
        db.update();
        history = db.query(HISTORY);
    }

    @Test
    void aRollbackToAnotherSystemsRevisionIsRefusedNamingTheRevisionsOfThisOne() {
        Maven.Result result = Maven.against(db, "liquibase:rollback", "-Dliquibase.labelFilter=ordering",
                "-Dliquibase.rollbackTag=add_phone_field_to_user");
        assertRefused(result, "-Dliquibase.rollbackTag=add_phone_field_to_user is not a revision of ordering; its revisions are:"
                + " 001_initial_schema, 002_categories,");
    }

    @Test
    void aMisspelledSystemIsRefusedNamingTheSystemsAndTags() {
        Maven.Result result = Maven.against(db, "liquibase:update", "-Dliquibase.labelFilter=pharmfleet");
        assertRefused(result, "-Dliquibase.labelFilter names pharmfleet, which is neither a system (ordering, pandac-pos, pharmafleet,"
                + " provider-registration) nor a tag (schema, categories,");
    }

    @Test
    void aLabelFilterOfKnownWordsThatSelectsNoRevisionIsRefusedRatherThanDoNothingAndSucceed() {
        Maven.Result result = Maven.against(db, "liquibase:update", "-Dliquibase.labelFilter=ordering orders");
        assertRefused(result, "-Dliquibase.labelFilter=ordering orders selects no revision (to Liquibase, words with no and, or or"
                + " comma between them are one label); nothing was done");
    }

    @Test
    void aLabelFilterThatUsesAtIsRefusedRatherThanFailOnTheChangelogsUnfilledPropertiesByTheGoalsAndThroughTheApi() {
        String reason = "the label filter 'ordering and @orders' uses @, which these changelogs do not take (Liquibase applies it"
                + " to their properties too, and those carry no label); name the labels without @; nothing was done";
        Maven.Result result = Maven.against(db, "liquibase:update", "-Dliquibase.labelFilter=ordering and @orders");
        assertRefused(result, reason);
        assertFalse(result.output().contains("deploy.lock_timeout"), "no other error than the refusal:\n" + result.output());
        // As a service runs it (Liquibase's API on the system's own root): each root's first check refuses it, before
        // any SQL of the changelogs runs with their properties unfilled.
        for (String system : RevisionListTest.SYSTEMS) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> db.liquibase("update",
                    Map.of("changelogFile", "changelog/" + system + ".yaml", "labelFilter", "@orders")));
            assertTrue(refused.getMessage().contains("the label filter '@orders' uses @, which these changelogs do not take"),
                    system + ": " + refused.getMessage());
        }
        assertEquals(history, db.query(HISTORY), "nothing was done");
    }

    @Test
    void aRollbackCountLargerThanWhatIsAppliedIsRefusedPointingToBase() {
        Maven.Result result = Maven.against(db, "liquibase:rollback", "-Dliquibase.labelFilter=ordering", "-Dliquibase.rollbackCount=50");
        assertRefused(result, "ordering has 7 revisions applied, fewer than -Dliquibase.rollbackCount=50; to roll back all of them"
                + " say so: -Dliquibase.rollbackDate=1970-01-01; nothing was done");
    }

    @Test
    void anUpgradeByMoreRevisionsThanAreLeftIsRefusedAsAlembicRefusesUpgradePlusNCountingOnlyThisReleasesRevisions() {
        // A record of a revision this release does not have (the database was deployed by a newer one) leaves no fewer
        // to apply than none.
        String newerRelease = "INSERT INTO databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype)"
                + " VALUES ('008_from_a_newer_release', 'ordering', 'ordering', now(), 1000, 'EXECUTED')";
        db.execute(newerRelease);
        Maven.Result result = Maven.against(db, "liquibase:update", "-Dliquibase.labelFilter=ordering", "-Dliquibase.changesToApply=+1");
        db.execute("DELETE FROM databasechangelog WHERE id = '008_from_a_newer_release'");
        assertRefused(result, "ordering has 0 revisions to apply, fewer than -Dliquibase.changesToApply=+1; to apply all of them"
                + " (Alembic's upgrade head) leave it out; nothing was done");
    }

    @Test
    void anUpgradeByANegativeCountIsRefusedRatherThanTakenAsEveryRevision() {
        Maven.Result result = Maven.against(db, "liquibase:updateSQL", "-Dliquibase.labelFilter=ordering", "-Dliquibase.changesToApply=-1");
        assertRefused(result, "-Dliquibase.changesToApply=-1 is not a number of revisions to apply (1 or more), and Liquibase would"
                + " apply all of them; to apply all of them (Alembic's upgrade head) leave it out; nothing was done");
    }

    @Test
    void aCommandThatNamesNoSystemOnADatabaseHoldingOnlyOneIsRefusedRatherThanInstallOrPreviewTheOthers() {
        String reason = "this database holds ordering only, and a command that names no system would also install, preview or roll back"
                + " the other systems here; name the systems to work on: -Dliquibase.labelFilter=ordering, or to add one,"
                + " -Dliquibase.labelFilter=\"ordering or pandac-pos\"; nothing was done";
        assertRefused(Maven.against(db, "liquibase:update"), reason);
        assertRefused(Maven.against(db, "liquibase:updateSQL", "-Dliquibase.toTag=003_member_fields"), reason);
        assertEquals(List.of(List.of("ordering")), db.query("SELECT nspname FROM pg_namespace WHERE nspname IN"
                + " ('pharmafleet', 'provider_registration', 'pandac_pos', 'ordering')"), "no other system's schema was made");
    }

    @Test
    void anAlembicDatabaseLackingWhatItsGuideStatesIsRefusedBeforeAnyRevisionStartsByUpdateAndByStamp() {
        halfBuilt.execute("""
                CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
                INSERT INTO alembic_version VALUES ('0ad0e83f95f1');
                CREATE TABLE "user" (id serial PRIMARY KEY, email varchar NOT NULL);
                """);
        SortedSet<String> before = halfBuilt.snapshot();
        String reason = "PharmaFleet: schema public lacks what its migration guide states for revision 0ad0e83f95f1, so it cannot be"
                + " taken over, and nothing was recorded or changed.";
        for (String goal : List.of("liquibase:update", "liquibase:changelogSync")) {
            assertRefusedBeforeTheTakeOver(halfBuilt, before,
                    Maven.against(halfBuilt, goal, "-Dliquibase.labelFilter=pharmafleet", "-Dpharmafleet.schema=public"), reason);
        }
    }

    @Test
    void anUpgradeByACountOnADatabaseAlembicStillManagesIsRefusedSinceTheTakeOverWouldSpendItAndTheWayItNamesWorks() {
        alembicManaged.updateToTag("003_member_fields");
        alembicManaged.leaveAsAlembicWould("public", "003_member_fields");
        SortedSet<String> before = alembicManaged.snapshot();
        String[] ordering = {"-Dliquibase.labelFilter=ordering", "-Dordering.schema=public"};

        assertRefusedBeforeTheTakeOver(alembicManaged, before, Maven.against(alembicManaged, "liquibase:update", ordering[0], ordering[1],
                "-Dliquibase.changesToApply=+1"), "Alembic manages Member ordering service here (alembic_version: 003_member_fields),"
                + " and -Dliquibase.changesToApply=+1 would be spent recording the 3 revisions Alembic applied (the take-over) before"
                + " any revision after it; take it over first with -Dliquibase.toTag=003_member_fields and no count (it records them"
                + " and runs nothing), then count, or name the revision to reach: -Dliquibase.toTag=004_order_item_status; nothing"
                + " was done");
        assertEquals(List.of(List.of("003_member_fields")), alembicManaged.query("SELECT version_num FROM alembic_version"));

        Maven.Result takeOver = Maven.against(alembicManaged, "liquibase:update", ordering[0], ordering[1], "-Dliquibase.toTag=003_member_fields");
        assertEquals(0, takeOver.exitCode(), takeOver.output());
        TestDatabase.assertSameSchema(before, alembicManaged.snapshot(), "taking over runs nothing");
        Maven.Result upgradePlusOne = Maven.against(alembicManaged, "liquibase:update", ordering[0], ordering[1], "-Dliquibase.changesToApply=+1");
        assertEquals(0, upgradePlusOne.exitCode(), upgradePlusOne.output());
        assertEquals(List.of("001_initial_schema", "002_categories", "003_member_fields", "004_order_item_status"),
                alembicManaged.appliedRevisions(), "then the count is Alembic's upgrade +1");
        assertEquals(List.of(List.of("004_order_item_status")), alembicManaged.query("SELECT version_num FROM alembic_version"));
    }

    @Test
    void anOfflineUrlIsRefusedSinceEveryRootAsksTheDatabaseFirstAndLeavesNoHistoryFile() {
        Maven.Result preview = Maven.run(Map.of(), "liquibase:updateSQL", "-Dliquibase.url=offline:postgresql",
                "-Dliquibase.labelFilter=ordering");
        assertRefused(preview, "these changelogs ask the database itself before any command (where each system lives, whether"
                + " Alembic manages it), so an offline URL can neither run nor preview them; preview against the database instead"
                + " (updateSQL, update-sql: they change nothing); nothing was done");
        assertFalse(Files.exists(TestDatabase.PROJECT_DIR.resolve("databasechangelog.csv")),
                "the offline history file Liquibase wrote before the check is gone");
    }

    /** Refused as the first error line, with no stack trace, leaving the schema as it was and no history table. */
    private static void assertRefusedBeforeTheTakeOver(TestDatabase database, SortedSet<String> before, Maven.Result result, String reason) {
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.firstError().startsWith("[ERROR] " + reason), "first error line: " + result.firstError() + "\n" + result.output());
        assertFalse(result.hasStackTrace(), "a stack trace:\n" + result.output());
        TestDatabase.assertSameSchema(before, database.snapshot(), "the refused run changed nothing");
        assertEquals(List.of(List.of("")), database.query("SELECT coalesce(to_regclass('databasechangelog')::text, '')"),
                "the refused run left no history table behind");
    }

    /** Refused, with the reason as the first error line, no stack trace, and nothing done. */
    private static void assertRefused(Maven.Result result, String reason) {
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.firstError().startsWith("[ERROR] " + reason), "first error line: " + result.firstError() + "\n" + result.output());
        assertFalse(result.hasStackTrace(), "a stack trace:\n" + result.output());
        assertEquals(history, db.query(HISTORY), "nothing was done");
    }
}
