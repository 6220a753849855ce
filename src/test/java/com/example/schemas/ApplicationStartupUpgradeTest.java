package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.sql.Connection;
import java.util.List;

import liquibase.command.CommandScope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CommandExecutionException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The counterpart of Alembic's command.upgrade(Config("alembic.ini"), "head") at application start: the
 * application has this project's jar on its classpath and runs its system's root changelog with Liquibase's API,
 * with no setting of its own: the jar brings strict and no analytics (SafetySettings), the tables go to the
 * connection's schema (public).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplicationStartupUpgradeTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("provider-registration");

    private static final String ROOT = "db/changelog/provider-registration.yaml";

    /** The code the README shows, as an application would call it with its own connection. */
    static void upgrade(Connection connection, String changelog, String tag) throws Exception {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        CommandScope command = tag == null ? new CommandScope("update") : new CommandScope("updateToTag").addArgumentValue("tag", tag);
        command.addArgumentValue("changelogFile", changelog).addArgumentValue("database", database).execute();
    }

    @Test
    @Order(1)
    void aTagThatIsNotARevisionOfTheSystemStopsTheStartAndDeploysNothing() throws Exception {
        try (Connection connection = db.connect()) {
            CommandExecutionException refusal = assertThrows(CommandExecutionException.class,
                    () -> upgrade(connection, ROOT, "c8f3a1b2d4e5"));
            assertTrue(refusal.getMessage().contains("c8f3a1b2d4e5"), refusal.getMessage());
        }
        assertEquals(List.of(), db.query("SELECT tablename FROM pg_tables WHERE tablename = 'candidates'"));
    }

    @Test
    @Order(2)
    void theSystemsRootOnTheClasspathBringsThatSystemAloneToHeadInPublicAndASecondStartChangesNothing() throws Exception {
        URL root = getClass().getClassLoader().getResource(ROOT);
        assertTrue(root != null && root.getPath().contains("/target/classes/"), "the build puts the roots where the jar takes them from: " + root);
        assertEquals(null, getClass().getClassLoader().getResource("db.changelog-master.xml"), "nothing at the class path's root");

        try (Connection connection = db.connect()) {
            upgrade(connection, ROOT, null);
        }
        List<String> head = List.of("000_initial_schema", "001_add_version_column", "002_add_rejection_reason");
        assertEquals(head, db.appliedRevisions());
        assertEquals(List.of(List.of("public", "candidates")),
                db.query("SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
                        + " AND tablename NOT IN ('databasechangelog', 'databasechangeloglock', 'spatial_ref_sys')"));

        try (Connection connection = db.connect()) {
            upgrade(connection, ROOT, null);
        }
        assertEquals(head, db.appliedRevisions());
        assertEquals(List.of(List.of("provider-registration")), db.query("SELECT DISTINCT filename FROM databasechangelog"),
                "the same changeset identities as a deploy from the working tree (logicalFilePath)");
    }
}
