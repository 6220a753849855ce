package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a person reads after a goal: the deploy, without Liquibase's banner, and its summary once; current on any database. */
class MavenOutputTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("provider-registration");
    @RegisterExtension
    static final TestDatabase fresh = TestDatabase.forSystem("provider-registration");

    @Test
    void currentOnADatabaseLiquibaseNeverDeployedToSaysBaseForEverySystem() {
        Maven.Result current = Maven.against(fresh, "antrun:run@current");

        assertEquals(0, current.exitCode(), current.output());
        for (String system : RevisionListTest.SYSTEMS) {
            assertTrue(current.output().contains(system + ",base,"), current.output());
        }
    }

    @Test
    void currentOnADatabaseAlembicManagesSaysWhichRevisionAlembicIsAtForItsSystemOnly() {
        fresh.execute("""
                CREATE SCHEMA members;
                CREATE TABLE members.alembic_version (version_num varchar(32) PRIMARY KEY);
                INSERT INTO members.alembic_version VALUES ('003_member_fields');
                """);
        try {
            Maven.Result current = Maven.against(fresh, "antrun:run@current");

            assertEquals(0, current.exitCode(), current.output());
            assertTrue(current.output().contains("ordering,base (Alembic says 003_member_fields in schema members, not taken over yet),"), current.output());
            assertTrue(current.output().contains("pharmafleet,base,"), "another system's Alembic revision is not this one's:\n" + current.output());
        } finally {
            fresh.execute("DROP SCHEMA members CASCADE");
        }
    }

    @Test
    void anUpdatePrintsNoBannerAndItsSummaryOnce() {
        Maven.Result update = Maven.against(db, "liquibase:update", "-Dliquibase.labelFilter=provider-registration");

        assertEquals(0, update.exitCode(), update.output());
        assertFalse(update.output().contains("docs.liquibase.com") || update.output().contains("####"), "no banner:\n" + update.output());
        Matcher summaries = Pattern.compile("UPDATE SUMMARY").matcher(update.output());
        assertEquals(1, summaries.results().count(), "one update summary:\n" + update.output());
    }
}
