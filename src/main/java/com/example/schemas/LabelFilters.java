package com.example.schemas;

import liquibase.LabelExpression;
import liquibase.Labels;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.DatabaseChangeLog;

/** What a run's label filter selects, decided as Liquibase's own filter decides it. */
public final class LabelFilters {

    /** The words of a refusal of a filter that selects nothing, for what a user most likely typed. */
    public static final String SELECTS_NOTHING_HINT = "to Liquibase, words with no and, or or comma between them are one label";

    private LabelFilters() {
    }

    /** The run's label filter as it was given (a Maven -D, a Liquibase argument, a service's property), or "". */
    public static String given(ChangeLogParameters parameters) {
        LabelExpression labels = parameters == null ? null : parameters.getLabels();
        return labels == null || labels.getOriginalString() == null ? "" : labels.getOriginalString();
    }

    /**
     * Why a filter that uses "@" cannot run these changelogs, or null when it does not use it. "@x" selects only what
     * carries the label x, and Liquibase applies the filter to the changelogs' properties too, which carry no label:
     * every ${...} would stay unfilled, and the first SQL that holds one would fail, saying nothing of why. Refused
     * whatever form it takes ("!@x" would keep them), as these changelogs need none of them.
     */
    public static String refusalOfAt(String filter) {
        return filter == null || !filter.contains("@") ? null : "the label filter '" + filter + "' uses @, which these"
                + " changelogs do not take (Liquibase applies it to their properties too, and those carry no label); name"
                + " the labels without @; nothing was done";
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
