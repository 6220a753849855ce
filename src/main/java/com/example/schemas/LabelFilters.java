package com.example.schemas;

import liquibase.LabelExpression;
import liquibase.Labels;
import liquibase.changelog.DatabaseChangeLog;

/** What a run's label filter selects, decided as Liquibase's own filter decides it. */
public final class LabelFilters {

    /** The words of a refusal of a filter that selects nothing, for what a user most likely typed. */
    public static final String SELECTS_NOTHING_HINT = "to Liquibase, words with no and, or or comma between them are one label";

    private LabelFilters() {
    }

    /**
     * Why a filter that uses "@" (the label itself, not what it implies) cannot run these changelogs, or null when it
     * does not use it. Liquibase applies the filter to the changelogs' properties too, and those carry no label, so
     * every ${...} would stay unfilled and the first SQL that holds one would fail, saying nothing of why.
     */
    public static String refusalOfAt(String filter) {
        return filter == null || !filter.contains("@") ? null : "the label filter '" + filter + "' uses @, which hides the"
                + " changelogs' properties (they carry no label) from Liquibase; name the labels without @; nothing was done";
    }

    /**
     * Whether the filter selects any changeset of the changelog: with the labels each inherits from its includes. Known
     * labels can still select nothing (two of them with no "and" between them are one label to Liquibase, and the
     * run then succeeds having done nothing).
     */
    public static boolean selectsAny(DatabaseChangeLog changeLog, LabelExpression filter) {
        return filter == null || filter.isEmpty()
                || changeLog.getChangeSets().stream().anyMatch(changeSet -> filter.matches(new Labels(changeSet.buildFullLabels())));
    }
}
