package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a person reads after a goal: the deploy, without Liquibase's banner, and its summary once; current anywhere. */
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
    void anUpdatePrintsNoBannerAndItsSummaryOnce() {
        Maven.Result update = Maven.against(db, "liquibase:update", "-Dliquibase.labelFilter=provider-registration");

        assertEquals(0, update.exitCode(), update.output());
        assertFalse(update.output().contains("docs.liquibase.com") || update.output().contains("####"), "no banner:\n" + update.output());
        Matcher summaries = Pattern.compile("UPDATE SUMMARY").matcher(update.output());
        assertEquals(1, summaries.results().count(), "one update summary:\n" + update.output());
    }
}
