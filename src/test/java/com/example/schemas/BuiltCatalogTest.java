package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import com.example.schemas.takeover.Catalog;
import com.example.schemas.takeover.SeedFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each system's catalog.txt, which the take-over compares a live database with, is what its revisions build from
 * empty, revision by revision; and at each revision that schema has everything its seed.yaml states. After changing a revision, write it anew and read the difference:
 * {@code ./mvnw test -Dtest=BuiltCatalogTest -Dcatalog.write=true}.
 */
class BuiltCatalogTest {

    private static final String HEADER = """
            # What each revision of this folder builds, as a database built from empty has it: "== REVISION", then the lines
            # it adds (+) and removes (-), in the schema-independent form of com.example.schemas.takeover.Catalog.
            # Written by BuiltCatalogTest (./mvnw test -Dtest=BuiltCatalogTest -Dcatalog.write=true); never edited by hand.
            """;

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem(String.join(", ", RevisionListTest.SYSTEMS));
    @RegisterExtension
    static final TestDatabase oddlyNamed = TestDatabase.forSystemInSchema("provider-registration", "Provider-Reg.v2");

    /** The take-over compares a schema of any name: one that needs quotes (capitals, a dash, a dot) reads the same. */
    @Test
    void aSchemaWhoseNameNeedsQuotesReadsAsTheSameCatalog() throws IOException, SQLException {
        oddlyNamed.update();
        Map<String, SortedSet<String>> built;
        try (Reader file = Files.newBufferedReader(TestDatabase.PROJECT_DIR.resolve("changelog/provider-registration/catalog.txt"))) {
            built = Catalog.readBuilt(file);
        }
        try (Connection connection = oddlyNamed.connect()) {
            assertEquals(List.of(), Catalog.differences(built.get("002_add_rejection_reason"), Catalog.read(connection, "Provider-Reg.v2")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pharmafleet", "provider-registration", "pandac-pos", "ordering"})
    void theCatalogFileHoldsWhatEachRevisionBuildsFromEmptyWhichHasEverythingTheSeedStates(String system) throws IOException, SQLException {
        List<String> revisions = RevisionListTest.listedRevisions(system);
        SeedFacts facts;
        try (Reader file = Files.newBufferedReader(TestDatabase.PROJECT_DIR.resolve("changelog/" + system + "/seed.yaml"))) {
            facts = SeedFacts.read(file);
        }
        assertTrue(revisions.containsAll(facts.revisionsNamed()), "seed.yaml names only revisions of " + system + ": " + facts.revisionsNamed());

        Map<String, SortedSet<String>> afterEach = new LinkedHashMap<>();
        for (String revision : revisions) {
            db.liquibase("updateToTag", Map.of("tag", revision, "labelFilter", system));
            try (Connection connection = db.connect()) {
                afterEach.put(revision, Catalog.read(connection, db.schemaOf(system)));
                assertEquals(List.of(), facts.violations(connection, db.schemaOf(system), revisions, revision),
                        "built from empty up to " + revision + ", the schema has everything the seed states");
            }
        }
        String built = Catalog.writeBuilt(HEADER, afterEach);
        Path file = TestDatabase.PROJECT_DIR.resolve("changelog/" + system + "/catalog.txt");
        if (Boolean.getBoolean("catalog.write")) {
            Files.writeString(file, built);
        }
        assertEquals(built, Files.exists(file) ? Files.readString(file) : "",
                file + " is not what the revisions build; write it anew (./mvnw test -Dtest=BuiltCatalogTest -Dcatalog.write=true) and review the difference");
    }
}
