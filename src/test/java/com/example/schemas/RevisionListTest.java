package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each system's changelog lists its revision ids (<system>.revisions), the list -Dliquibase.toTag is checked
 * against: it must name every revision the changelog applies, in order, or a valid -Dliquibase.toTag is refused.
 */
class RevisionListTest {

    static final List<String> SYSTEMS = List.of("pharmafleet", "provider-registration", "pandac-pos", "ordering");

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem(String.join(", ", SYSTEMS));

    @Test
    void everySystemListsExactlyTheRevisionsItsChangelogApplies() throws IOException {
        List<String> listed = new ArrayList<>();
        for (String system : SYSTEMS) {
            listed.addAll(listedRevisions(system));
        }

        db.update();
        assertEquals(db.appliedRevisions(), listed, "<system>.revisions in each system changelog, in the order the master applies them");
    }

    /** The revision ids a system's changelog lists in its <system>.revisions property. */
    static List<String> listedRevisions(String system) throws IOException {
        String changelog = Files.readString(TestDatabase.PROJECT_DIR.resolve("changelog/" + system + ".yaml"));
        Matcher list = Pattern.compile("name: " + Pattern.quote(system) + "\\.revisions, value: \"([^\"]*)\"").matcher(changelog);
        if (!list.find()) {
            throw new AssertionError("changelog/" + system + ".yaml defines no " + system + ".revisions");
        }
        List<String> listed = new ArrayList<>();
        Matcher id = Pattern.compile("'([^']+)'").matcher(list.group(1));
        while (id.find()) {
            listed.add(id.group(1));
        }
        return listed;
    }

    @Test
    void theTagsTheMavenGoalsKnowAreExactlyTheTagsTheRevisionsCarry() throws IOException {
        Set<String> carried = new TreeSet<>();
        try (Stream<Path> files = Files.walk(TestDatabase.PROJECT_DIR.resolve("changelog"))) {
            for (Path file : files.filter(f -> f.getParent().getFileName().toString().matches("[a-z-]+") && f.toString().endsWith(".yaml")).toList()) {
                Matcher labels = Pattern.compile("(?m)^\\s+labels: (.*)$").matcher(Files.readString(file));
                while (labels.find()) {
                    Arrays.stream(labels.group(1).split(",\\s*")).filter(label -> !SYSTEMS.contains(label)).forEach(carried::add);
                }
            }
        }
        Matcher known = Pattern.compile("name: known.tags, value: \"([^\"]*)\"")
                .matcher(Files.readString(TestDatabase.PROJECT_DIR.resolve("changelog/maven-arguments.yaml")));
        assertTrue(known.find(), "changelog/maven-arguments.yaml defines known.tags");
        Set<String> listed = new TreeSet<>();
        Matcher tag = Pattern.compile("'([^']+)'").matcher(known.group(1));
        while (tag.find()) {
            listed.add(tag.group(1));
        }
        assertEquals(carried, listed, "known.tags in changelog/maven-arguments.yaml");
    }
}
