package com.example.schemas.runner;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import com.example.schemas.LabelFilters;
import com.example.schemas.takeover.EmptyHistory;

import liquibase.LabelExpression;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.database.Database;
import liquibase.exception.CommandExecutionException;

/**
 * The runner's counterpart of the Maven goals' argument check (the master changelog's maven-arguments.yaml), for the
 * filters: a label filter that selects no revision of the changelog (a misspelled tag, two tags without "and")
 * makes Liquibase succeed having done nothing; contexts, on a changelog where no revision has one, filter nothing,
 * and a deploy meant for one tag deploys everything. Either is refused once Liquibase has read the changelog, before
 * any command runs or rolls back a revision. Liquibase's step that reads the changelog for every command is replaced
 * through {@link CommandOverride}, so the check sits in front of all of them.
 */
@CommandOverride(override = DatabaseChangelogCommandStep.class)
public final class FiltersThatSelect extends DatabaseChangelogCommandStep {

    private static final Set<String> OPERATORS = Set.of("", "and", "or", "not");

    @Override
    public void run(CommandResultsBuilder results) throws Exception {
        CommandScope command = results.getCommandScope();
        // The changelogs' own okOrRefuse says the same, but only once Liquibase has made its tables: this is before.
        String refusalOfAt = LabelFilters.refusalOfAt(command.getArgumentValue(LABEL_FILTER_ARG));
        if (refusalOfAt != null) {
            throw new CommandExecutionException(refusalOfAt);
        }
        super.run(results);
        DatabaseChangeLog changeLog = (DatabaseChangeLog) command.getDependency(DatabaseChangeLog.class);
        ChangeLogParameters parameters = (ChangeLogParameters) command.getDependency(ChangeLogParameters.class);
        SortedSet<String> labels = new TreeSet<>();
        boolean anyContext = false;
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            if (changeSet.getLabels() != null) {
                changeSet.getLabels().getLabels().forEach(label -> labels.add(label.toLowerCase(Locale.ROOT)));
            }
            anyContext |= changeSet.getContextFilter() != null && !changeSet.getContextFilter().isEmpty()
                    || !changeSet.getInheritableContextFilter().isEmpty();
        }
        LabelExpression labelFilter = parameters.getLabels();
        if (labelFilter != null && !labelFilter.isEmpty()) {
            String expression = labelFilter.getOriginalString();
            // Liquibase's label expressions: words joined by and, or, not, !, commas and parentheses.
            SortedSet<String> unknown = new TreeSet<>(Arrays.stream(expression.toLowerCase(Locale.ROOT).split("[\\s(),!]+"))
                    .filter(word -> !OPERATORS.contains(word) && !labels.contains(word)).toList());
            if (!unknown.isEmpty()) {
                refuse(command, "the label filter '" + expression + "' names " + String.join(", ", unknown) + ", which no"
                        + " revision of " + changeLog.getPhysicalFilePath() + " carries; its labels are: " + String.join(", ", labels));
            }
            if (!LabelFilters.selectsAny(changeLog, labelFilter)) {
                refuse(command, "the label filter '" + expression + "' selects no revision of " + changeLog.getPhysicalFilePath()
                        + " (" + LabelFilters.SELECTS_NOTHING_HINT + ")");
            }
        }
        if (!anyContext && parameters.getContexts() != null && !parameters.getContexts().isEmpty()) {
            refuse(command, "the contexts '" + parameters.getContexts() + "' filter nothing: no revision of "
                    + changeLog.getPhysicalFilePath() + " has a context; a revision's tags are labels, so name them with"
                    + " --label-filter");
        }
    }

    /** As the changelogs' own refusals do, leaves no empty history table behind on a database Liquibase never deployed to. */
    private static void refuse(CommandScope command, String reason) throws CommandExecutionException {
        EmptyHistory.remove((Database) command.getDependency(Database.class));
        throw new CommandExecutionException(reason + "; nothing was done");
    }
}
