package com.example.schemas.runner;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import com.example.schemas.takeover.EmptyHistory;

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
 * filters: a {@code --label-filter} word that no revision of the changelog carries (a misspelled tag) selects nothing,
 * and Liquibase succeeds having done nothing; {@code --contexts} on a changelog where no revision has a context
 * filters nothing, and a deploy meant for one tag deploys everything. Either is refused once Liquibase has read the
 * changelog, before any command uses it. Liquibase's step that reads the changelog for every command is replaced
 * through {@link CommandOverride}, so the check sits in front of all of them.
 */
@CommandOverride(override = DatabaseChangelogCommandStep.class)
public final class FiltersThatSelect extends DatabaseChangelogCommandStep {

    private static final Set<String> OPERATORS = Set.of("", "and", "or", "not");

    @Override
    public void run(CommandResultsBuilder results) throws Exception {
        super.run(results);
        CommandScope command = results.getCommandScope();
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
        String labelFilter = parameters.getLabels() == null ? null : parameters.getLabels().getOriginalString();
        if (labelFilter != null) {
            // Liquibase's label expressions: words joined by and, or, not, !, commas and parentheses; @ asks for the label
            // itself rather than also taking revisions that have none.
            SortedSet<String> unknown = new TreeSet<>(Arrays.stream(labelFilter.toLowerCase(Locale.ROOT).split("[\\s(),!@]+"))
                    .filter(word -> !OPERATORS.contains(word) && !labels.contains(word)).toList());
            if (!unknown.isEmpty()) {
                refuse(command, "--label-filter=" + labelFilter + " names " + String.join(", ", unknown) + ", which no"
                        + " revision of " + changeLog.getPhysicalFilePath() + " carries; its labels are: " + String.join(", ", labels));
            }
        }
        if (!anyContext && parameters.getContexts() != null && !parameters.getContexts().isEmpty()) {
            refuse(command, "--contexts=" + parameters.getContexts() + " filters nothing: no revision of "
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
