package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;

/**
 * One revision of a system's history and the snapshot lines ({@link TestDatabase#snapshot()}) it must add
 * ({@code present}) or remove ({@code absent}).
 */
record Revision(String id, List<String> present, List<String> absent) {

    /**
     * One dynamic test per revision, in order: applied, it shows what it promises; rolled back, it leaves exactly
     * the schema before it; applied again, exactly the schema of the first time.
     */
    static Stream<DynamicTest> walk(TestDatabase db, List<Revision> history) {
        List<SortedSet<String>> snapshots = new ArrayList<>();
        snapshots.add(db.snapshot());
        return history.stream().map(revision -> DynamicTest.dynamicTest(revision.id(), () -> {
            SortedSet<String> before = snapshots.get(snapshots.size() - 1);

            db.updateToTag(revision.id());
            SortedSet<String> applied = db.snapshot();
            List<String> revisions = db.appliedRevisions();
            assertEquals(revision.id(), revisions.get(revisions.size() - 1), "the database carries the revision id as its tag");
            revision.present().forEach(line -> assertTrue(applied.contains(line), () -> "missing: " + line + "\n" + added(before, applied)));
            revision.absent().forEach(line -> assertFalse(applied.contains(line), () -> "unexpected: " + line));

            db.rollbackCount(1);
            TestDatabase.assertSameSchema(before, db.snapshot(), "rolling back " + revision.id() + " restores the previous schema");

            db.updateToTag(revision.id());
            TestDatabase.assertSameSchema(applied, db.snapshot(), "re-applying " + revision.id() + " gives the same schema");
            snapshots.add(applied);
        }));
    }

    private static String added(SortedSet<String> before, SortedSet<String> after) {
        return "added by this revision:\n  " + String.join("\n  ", after.stream().filter(l -> !before.contains(l)).toList());
    }

    /** Snapshot lines of objects in one schema, spelled as {@link TestDatabase#snapshot()} spells them. */
    record Schema(String name) {
        String table(String table) { return "table " + name + "." + table; }
        String column(String tableColumn, String typeAndRest) { return "column " + name + "." + tableColumn + " " + typeAndRest; }
        String index(String index, String definition) { return "index " + name + "." + index + " " + definition; }
        String constraint(String tableConstraint, String definition) { return "constraint " + name + "." + tableConstraint + " " + definition; }
        String trigger(String tableTrigger, String definition) { return "trigger " + name + "." + tableTrigger + " " + definition; }
    }
}
