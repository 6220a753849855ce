package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The counterpart of Alembic's command.upgrade(Config("alembic.ini"), "head") at application start: the
 * application has this project's jar on its classpath and runs the update with Liquibase's API.
 */
class ApplicationStartupUpgradeTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("provider-registration");

    /** The code the README shows, as an application would call it with its own connection. */
    static void upgradeToHead(Connection connection, String system) throws Exception {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        Scope.child(Map.of("liquibase.strict", true), () -> new CommandScope("update")
                .addArgumentValue("changelogFile", "db.changelog-master.xml")
                .addArgumentValue("database", database)
                .addArgumentValue("labelFilter", system)
                .execute());
    }

    @Test
    void theChangelogsOnTheClasspathBringTheSystemToHeadAndASecondStartChangesNothing() throws Exception {
        URL master = getClass().getClassLoader().getResource("db.changelog-master.xml");
        assertTrue(master != null && master.getPath().contains("/target/classes/"),
                "the build puts the changelogs where the jar takes them from: " + master);

        try (Connection connection = db.connect()) {
            upgradeToHead(connection, "provider-registration");
        }
        List<String> head = List.of("000_initial_schema", "001_add_version_column", "002_add_rejection_reason");
        assertEquals(head, db.appliedRevisions());

        try (Connection connection = db.connect()) {
            upgradeToHead(connection, "provider-registration");
        }
        assertEquals(head, db.appliedRevisions());
        assertEquals(List.of(List.of("provider-registration")), db.query("SELECT DISTINCT filename FROM databasechangelog"),
                "the same changeset identities as a deploy from the working tree (logicalFilePath)");
    }
}
