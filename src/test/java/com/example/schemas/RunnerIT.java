package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The runner that ./mvnw package leaves in target/runner: Liquibase's own command line with this project's changelogs,
 * extensions and settings, started with java -jar where there is no Maven (a deploy pipeline, a container).
 */
class RunnerIT {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystemInPublic("provider-registration");
    @RegisterExtension
    static final TestDatabase reference = TestDatabase.forSystemInPublic("provider-registration");
    @RegisterExtension
    static final TestDatabase deployed = TestDatabase.forSystemInPublic("provider-registration");
    @RegisterExtension
    static final TestDatabase untouched = TestDatabase.forSystemInPublic("provider-registration");
    @RegisterExtension
    static final TestDatabase alembicManaged = TestDatabase.forSystemInPublic("provider-registration");

    private static final Path RUNNER = TestDatabase.PROJECT_DIR.resolve("target/runner/schema-changelogs-runner.jar");
    private static final List<String> REVISIONS = List.of("000_initial_schema", "001_add_version_column", "002_add_rejection_reason");

    @Test
    void theRunnerPreviewsDeploysAndRollsBackASystemWithoutMavenAsTheGoalsDo() throws Exception {
        Maven.Result preview = run(db, "update-sql");
        assertEquals(0, preview.exitCode(), preview.output());
        assertTrue(preview.output().contains("CREATE TABLE public.candidates"), preview.output());
        assertEquals(List.of(), db.appliedRevisions(), "a preview changes nothing");

        Maven.Result update = run(db, "update");
        assertEquals(0, update.exitCode(), update.output());
        assertFalse(update.output().contains("####"), "no banner:\n" + update.output());
        assertEquals(1, update.output().split("UPDATE SUMMARY", -1).length - 1, "the summary once:\n" + update.output());
        assertEquals(REVISIONS, db.appliedRevisions());
        reference.update();
        TestDatabase.assertSameSchema(reference.snapshot(), db.snapshot(), "deployed by the runner vs. by Liquibase in-process");
        db.execute("""
                INSERT INTO candidates (company_name, contact_email, truck_count, capacity_tons_per_day) VALUES ('Haulers', 'h@example.com', 2, 40);
                UPDATE candidates SET truck_count = 3;
                """);
        assertEquals(List.of(List.of("2")), db.query("SELECT version FROM candidates"), "the update trigger bumps version");

        Maven.Result rollback = run(db, "rollback-count", "--count=1");
        assertEquals(0, rollback.exitCode(), rollback.output());
        assertEquals(REVISIONS.subList(0, 2), db.appliedRevisions());
    }

    @Test
    void theRunnerRefusesACountLargerThanWhatItCanRollBackOrApplyAndChangesNothing() throws Exception {
        deployed.update();
        SortedSet<String> before = deployed.snapshot();
        Map<List<String>, String> refusals = Map.of(
                List.of("rollback-count", "--count=4"), "--count=4 is more than the 3 revisions it can roll back here"
                        + " (db/changelog/provider-registration.yaml); to roll back all of them, roll back to a date before them:"
                        + " rollback-to-date --date=1970-01-01; nothing was done",
                List.of("rollback-count", "--count=0"), "--count=0 is not a number of revisions to roll back (1 or more);"
                        + " nothing was done",
                List.of("update-count", "--count=1"), "--count=1 is more than the 0 revisions it can apply here"
                        + " (db/changelog/provider-registration.yaml); to apply all of them, leave the count out (Alembic's"
                        + " upgrade head): update; nothing was done",
                List.of("rollback-count-sql", "--count=3", "--label-filter=candidates"), "--count=3 is more than the 2"
                        + " revisions it can roll back here (db/changelog/provider-registration.yaml --label-filter='candidates');"
                        + " to roll back all of them, roll back to a date before them: rollback-to-date-sql --date=1970-01-01"
                        + " --label-filter='candidates'; nothing was done");
        for (Map.Entry<List<String>, String> refusal : refusals.entrySet()) {
            Maven.Result result = run(deployed, refusal.getKey().toArray(String[]::new));
            assertEquals(1, result.exitCode(), result.output());
            assertTrue(result.output().contains("Unexpected error running Liquibase: " + refusal.getValue()), result.output());
            assertFalse(result.output().contains("Rolling Back Changeset") || result.output().contains("Change(s) Script"),
                    "nothing rolled back or previewed:\n" + result.output());
            assertEquals(REVISIONS, deployed.appliedRevisions(), String.join(" ", refusal.getKey()));
            TestDatabase.assertSameSchema(before, deployed.snapshot(), String.join(" ", refusal.getKey()) + " changed nothing");
        }

        Maven.Result all = run(deployed, "rollback-count-sql", "--count=2", "--label-filter=candidates");
        assertEquals(0, all.exitCode(), "a count of exactly what it can reach is no slip:\n" + all.output());
        assertTrue(all.output().contains("-- Rolling Back ChangeSet: provider-registration::001_add_version_column::"), all.output());
    }

    @Test
    void theRunnerRefusesFiltersThatSelectNothingAndAnyRollbackCountOnADatabaseNeverDeployedToLeavingNoTableBehind() throws Exception {
        SortedSet<String> before = untouched.snapshot();
        String changelog = " db/changelog/provider-registration.yaml";
        Map<List<String>, String> refusals = Map.of(
                List.of("update", "--label-filter=provider-registration and candiates"), "the label filter 'provider-registration"
                        + " and candiates' names candiates, which no revision of" + changelog + " carries; its labels are: audit,"
                        + " candidates, provider-registration, schema; nothing was done",
                List.of("update", "--label-filter=provider-registration candidates"), "the label filter 'provider-registration"
                        + " candidates' selects no revision of" + changelog + " (to Liquibase, words with no and, or or comma"
                        + " between them are one label); nothing was done",
                List.of("update-sql", "--label-filter=@candidates"), "the label filter '@candidates' uses @, which these"
                        + " changelogs do not take (Liquibase applies it to their properties too, and those carry no label); name"
                        + " the labels without @; nothing was done",
                List.of("rollback-count", "--count=1"), "--count=1 is more than the 0 revisions it can roll back here"
                        + " (db/changelog/provider-registration.yaml);",
                List.of("update-sql", "--contexts=candidates"), "the contexts 'candidates' filter nothing: no revision of"
                        + changelog + " has a context; a revision's tags are labels, so name them with --label-filter; nothing"
                        + " was done");
        for (Map.Entry<List<String>, String> refusal : refusals.entrySet()) {
            assertRefusedLeavingNoHistoryTable(untouched, before, refusal.getKey(), refusal.getValue());
        }

        Maven.Result upgradeAll = run(untouched, "update-count-sql", "--count=3");
        assertEquals(0, upgradeAll.exitCode(), "a count of exactly what is left to apply is no slip:\n" + upgradeAll.output());

        Maven.Result preview = run(untouched, "update-sql", "--label-filter=candidates and (!audit)");
        assertEquals(0, preview.exitCode(), "an expression Liquibase reads as meant passes:\n" + preview.output());
        assertTrue(preview.output().contains("-- Changeset provider-registration::001_add_version_column::"), preview.output());
        assertFalse(preview.output().contains("::002_add_rejection_reason::"), preview.output());
    }

    @Test
    void theRunnerRefusesAnUpdateCountOnADatabaseAlembicStillManagesWhereTheTakeOverWouldSpendTheCount() throws Exception {
        alembicManaged.execute(AlembicBuilt.CANDIDATES_AT_000 + """
                CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
                CREATE TRIGGER candidates_set_updated_at BEFORE UPDATE ON candidates FOR EACH ROW EXECUTE FUNCTION set_updated_at();
                INSERT INTO alembic_version VALUES ('000_initial_schema');
                """);
        assertRefusedLeavingNoHistoryTable(alembicManaged, alembicManaged.snapshot(), List.of("update-count", "--count=1"),
                "Alembic manages Provider Registration Service here (alembic_version: 000_initial_schema), and --count=1 would be"
                        + " spent recording the 1 revision Alembic applied (the take-over) before any revision after it; take it over"
                        + " first with update-to-tag --tag=000_initial_schema (it records them and runs nothing), then count, or name"
                        + " the revision to reach: update-to-tag --tag=001_add_version_column; nothing was done");
        assertEquals(List.of(List.of("000_initial_schema")), alembicManaged.query("SELECT version_num FROM alembic_version"));
    }

    /** Exit code 1, the reason as Liquibase's command line prints a failure, the schema as it was, no history table. */
    private static void assertRefusedLeavingNoHistoryTable(TestDatabase db, SortedSet<String> before, List<String> command, String reason)
            throws IOException, InterruptedException {
        Maven.Result result = run(db, command.toArray(String[]::new));
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("Unexpected error running Liquibase: " + reason), result.output());
        TestDatabase.assertSameSchema(before, db.snapshot(), String.join(" ", command) + " changed nothing");
        assertEquals(List.of(List.of("")), db.query("SELECT coalesce(to_regclass('databasechangelog')::text, '')"),
                String.join(" ", command) + " left no history table behind");
    }

    private static Maven.Result run(TestDatabase db, String... command) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", RUNNER.toString(),
                "--changelog-file=db/changelog/provider-registration.yaml", "--url=" + db.url(), "--username=" + db.username()));
        arguments.addAll(List.of(command));
        Path output = Files.createTempFile(Files.createDirectories(TestDatabase.OUTPUT), "runner-", ".log");
        ProcessBuilder builder = new ProcessBuilder(arguments).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("LIQUIBASE_COMMAND_PASSWORD", db.password());
        Process runner = builder.start();
        if (!runner.waitFor(2, TimeUnit.MINUTES)) {
            runner.destroyForcibly();
            throw new AssertionError("the runner did not end in 2 minutes:\n" + Files.readString(output));
        }
        return new Maven.Result(runner.exitValue(), Files.readString(output));
    }
}
