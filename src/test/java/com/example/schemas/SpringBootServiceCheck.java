package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spring Boot service (src/test/spring-boot) with this project's jar on its class path, migrating at start
 * through Boot's own Liquibase auto-configuration, configured as a team would: its system's root changelog, its own
 * environments in contexts, nothing else. One JVM starts the service once per scenario, each against its own
 * database; the tests then look at what each start left. A subclass per Boot line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SpringBootServiceCheck {

    // Inherited by each Boot line's class, and created anew and dropped for each, as JUnit calls an extension's
    // beforeAll and afterAll per test class (the classes run one after the other in a test JVM, or in two).
    @RegisterExtension
    static final TestDatabase empty = TestDatabase.forSystem("pharmafleet");
    @RegisterExtension
    static final TestDatabase partway = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase alembic = TestDatabase.forSystemInPublic("provider-registration");
    @RegisterExtension
    static final TestDatabase unknownTag = TestDatabase.forSystem("pandac-pos");
    @RegisterExtension
    static final TestDatabase local = TestDatabase.forSystem("ordering");

    private final String bootLine;

    private final Map<String, String> verdicts = new LinkedHashMap<>();
    private String liquibaseVersion;
    private String settings;

    SpringBootServiceCheck(String bootLine) {
        this.bootLine = bootLine;
    }

    private static final String PRODUCTION = "-Denv=production";
    private static final String SERVICE_TABLES = """
            SELECT schemaname || '.' || tablename FROM pg_tables
             WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
               AND tablename NOT IN ('databasechangelog', 'databasechangeloglock', 'spatial_ref_sys')
             ORDER BY 1
            """;

    @BeforeAll
    void startTheServiceOncePerScenario(@TempDir Path scenarios) throws IOException {
        Maven.Result toMemberFields = Maven.against(partway, "liquibase:update", PRODUCTION, "-Dliquibase.labelFilter=ordering",
                "-Dliquibase.toTag=003_member_fields");
        assertEquals(0, toMemberFields.exitCode(), toMemberFields.output());
        // The other start points built in-process as liquibase:update builds them (local: the local environment's
        // schema; alembic: production's public); partway above is the goal itself.
        local.updateToTag("003_member_fields");
        alembic.updateToTag("001_add_version_column");
        alembic.leaveAsAlembicWould("public", "001_add_version_column");

        List<Path> files = new ArrayList<>();
        files.add(scenario(scenarios, "empty", empty, "pharmafleet", Map.of("spring.liquibase.contexts", "prod")));
        empty.execute("CREATE SCHEMA elsewhere");
        files.add(scenario(scenarios, "moved-default-schema", empty, "pharmafleet", Map.of("spring.liquibase.default-schema", "elsewhere")));
        files.add(scenario(scenarios, "moved-liquibase-schema", empty, "pharmafleet", Map.of("spring.liquibase.liquibase-schema", "elsewhere")));
        files.add(scenario(scenarios, "partway", partway, "ordering", Map.of()));
        files.add(scenario(scenarios, "alembic", alembic, "provider-registration", Map.of()));
        files.add(scenario(scenarios, "unknown-tag", unknownTag, "pandac-pos", Map.of("spring.liquibase.tag", "nosuchrev")));
        files.add(scenario(scenarios, "local-forgotten", local, "ordering", Map.of()));
        files.add(scenario(scenarios, "local", local, "ordering", Map.of("spring.liquibase.parameters.ordering.schema", "ordering")));
        runService(files);
    }

    @Test
    void theServiceRunsTheLiquibaseLineThisBuildChoseStrictAndWithoutAnalyticsThoughItSetsNeither() {
        assertEquals(System.getProperty("liquibase.version"), liquibaseVersion);
        assertEquals("strict=true analytics=false", settings);
    }

    @Test
    void anEmptyDatabaseGetsEveryRevisionOfItsSystemAloneInPublicThoughTheServiceSetsContextsProd() {
        assertEquals("STARTED", verdicts.get("empty"));
        assertEquals(List.of("0ad0e83f95f1", "add_is_archived_column", "5642bd73b6d8", "add_phone_field_to_user",
                "add_vehicle_type_to_driver", "a8f3c2d91e57", "b7e4d2f1a3c9", "c8f3a1b2d4e5"), empty.appliedRevisions());
        assertEquals(List.of("public.auditlog", "public.driver", "public.driverlocation", "public.notification", "public.order",
                "public.orderstatushistory", "public.paymentcollection", "public.proofofdelivery", "public.user", "public.warehouse"),
                column(empty.query(SERVICE_TABLES)));

        assertMavenSeesEveryRevisionApplied(empty, "pharmafleet");
    }

    /** Refused before PharmaFleet changes, and no second copy of it is built in the other schema. */
    @Test
    void aServiceThatMovesTheSchemaOfADeployedSystemOrOfItsHistoryIsRefusedBeforeTheSystemChanges() {
        for (String scenario : List.of("moved-default-schema", "moved-liquibase-schema")) {
            String refusal = verdicts.get(scenario);
            assertTrue(refusal.startsWith("FAILED") && refusal.contains("recorded as deployed in the Liquibase history (databasechangelog)"
                    + " of schema public") && refusal.contains("spring.liquibase.liquibase-schema"), scenario + ": " + refusal);
        }
        assertEquals(List.of(), empty.query("SELECT tablename FROM pg_tables WHERE schemaname = 'elsewhere'"
                + " AND tablename NOT IN ('databasechangelog', 'databasechangeloglock')"), "no second copy of PharmaFleet");
    }

    @Test
    void aDatabaseTheMavenGoalsTookPartOfTheWayIsCompletedAsOneHistory() {
        assertEquals("STARTED", verdicts.get("partway"));
        assertEquals(List.of("001_initial_schema", "002_categories", "003_member_fields", "004_order_item_status",
                "005_order_foreign_keys", "006_audit_log_columns", "007_device_sessions"), partway.appliedRevisions());
        assertMavenSeesEveryRevisionApplied(partway, "ordering");
    }

    @Test
    void aDatabaseThatAlembicManagesIsTakenOverAtStart() {
        assertEquals("STARTED", verdicts.get("alembic"));
        assertEquals(List.of(List.of("000_initial_schema", "MARK_RAN"), List.of("001_add_version_column", "MARK_RAN"),
                        List.of("002_add_rejection_reason", "EXECUTED")),
                alembic.query("SELECT id, exectype FROM databasechangelog ORDER BY orderexecuted"));
        assertEquals(List.of(List.of("002_add_rejection_reason")), alembic.query("SELECT version_num FROM public.alembic_version"),
                "Alembic's own record moves with the revisions the service applied");
    }

    @Test
    void anUnknownTagStopsTheStartAndDeploysNothing() {
        assertTrue(verdicts.get("unknown-tag").startsWith("FAILED") && verdicts.get("unknown-tag").contains("nosuchrev"),
                verdicts.get("unknown-tag"));
        assertEquals(List.of(), unknownTag.query(SERVICE_TABLES));
        assertEquals(List.of(), unknownTag.appliedRevisions());
    }

    @Test
    void aServiceThatForgetsTheSchemaOfADatabaseHoldingSeveralSystemsIsRefusedSayingWhichParameterToSet() {
        String refusal = verdicts.get("local-forgotten");
        assertTrue(refusal.startsWith("FAILED") && refusal.contains("spring.liquibase.parameters.ordering.schema"), refusal);

        assertEquals("STARTED", verdicts.get("local"), "with the parameter, the same service completes it");
        assertEquals(List.of("001_initial_schema", "002_categories", "003_member_fields", "004_order_item_status",
                "005_order_foreign_keys", "006_audit_log_columns", "007_device_sessions"), local.appliedRevisions());
        assertTrue(column(local.query(SERVICE_TABLES)).stream().allMatch(table -> table.startsWith("ordering.")),
                "the refused start put nothing into public: " + local.query(SERVICE_TABLES));
    }

    /** The operator's next `mvn liquibase:update` on that database runs nothing and fails no checksum. */
    private static void assertMavenSeesEveryRevisionApplied(TestDatabase db, String system) {
        List<List<String>> history = db.query("SELECT id, md5sum, orderexecuted FROM databasechangelog ORDER BY orderexecuted");
        Maven.Result update = Maven.against(db, "liquibase:update", PRODUCTION, "-Dliquibase.labelFilter=" + system);
        assertEquals(0, update.exitCode(), update.output());
        assertEquals(history, db.query("SELECT id, md5sum, orderexecuted FROM databasechangelog ORDER BY orderexecuted"));
    }

    private static List<String> column(List<List<String>> rows) {
        return rows.stream().map(row -> row.get(0)).toList();
    }

    private static Path scenario(Path dir, String name, TestDatabase db, String system, Map<String, String> settings) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", db.url());
        properties.put("spring.datasource.username", db.username());
        properties.put("spring.datasource.password", db.password());
        properties.put("spring.liquibase.change-log", "classpath:db/changelog/" + system + ".yaml");
        properties.putAll(settings);
        StringBuilder text = new StringBuilder();
        properties.forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        return Files.writeString(dir.resolve(name), text.toString());
    }

    /** Builds the service for this Boot line and starts it in one JVM, once per scenario file. */
    private void runService(List<Path> scenarios) {
        Path service = TestDatabase.PROJECT_DIR.resolve("src/test/spring-boot");
        Path built = service.resolve("target").resolve(bootLine);
        Path classpath = built.resolve("classpath");
        Maven.Result build = Maven.runProject(service, "-P" + bootLine, "-Dliquibase.version=" + System.getProperty("liquibase.version"),
                "-Dsessionlock.version=" + System.getProperty("sessionlock.version"), "-Dschemas.jar=" + System.getProperty("schemas.jar"), "-Dmdep.outputFile=" + classpath, "-q", "package",
                "dependency:build-classpath");
        assertEquals(0, build.exitCode(), build.output());

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                built.resolve("classes") + java.io.File.pathSeparator + readClasspath(classpath),
                "com.example.service.BootService"));
        scenarios.forEach(file -> command.add(file.toString()));
        String output = runProcess(command, TestDatabase.PROJECT_DIR.resolve("target/" + bootLine + "-service.log"));
        for (String line : output.lines().toList()) {
            if (line.startsWith("LIQUIBASE ")) {
                liquibaseVersion = line.substring("LIQUIBASE ".length());
            } else if (line.startsWith("SETTINGS ")) {
                settings = line.substring("SETTINGS ".length());
            } else if (line.startsWith("SCENARIO ")) {
                String[] parts = line.split(" ", 3);
                verdicts.put(parts[1], parts[2]);
            }
        }
        assertEquals(scenarios.size(), verdicts.size(), "a verdict for every scenario:\n" + output);
    }

    private static String readClasspath(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns stdout, the service's verdicts; its logs go to stderr, kept in the log file. */
    private static String runProcess(List<String> command, Path log) {
        try {
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("the service did not stop in 5 minutes");
            }
            assertEquals(0, process.exitValue(), output + "\nthe service's log: " + log);
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
