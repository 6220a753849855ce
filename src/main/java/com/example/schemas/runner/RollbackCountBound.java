package com.example.schemas.runner;

import com.example.schemas.takeover.EmptyHistory;
import java.util.List;
import java.util.Set;

import liquibase.RuntimeEnvironment;
import liquibase.changelog.ChangeLogIterator;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.changelog.filter.AlreadyRanChangeSetFilter;
import liquibase.changelog.filter.ChangeSetFilterResult;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.filter.IgnoreChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;
import liquibase.changelog.visitor.ChangeSetVisitor;
import liquibase.command.CommandScope;
import liquibase.command.core.RollbackCountCommandStep;
import liquibase.database.Database;
import liquibase.exception.CommandExecutionException;
import liquibase.exception.LiquibaseException;

/**
 * Alembic refuses {@code downgrade -3} when two revisions are applied; Liquibase's rollback-count rolls back the two and
 * succeeds, so a slip of the count would take a system back to nothing with exit code 0. The runner refuses a count
 * larger than what the rollback can reach, before anything is rolled back. What it can reach is counted as Liquibase's
 * rollback picks it: the applied changesets of this changelog that the contexts and the label filter let through (one
 * changeset per revision). The Maven goals have their own check in the master changelog, which names -D properties.
 */
final class RollbackCountBound {

    private RollbackCountBound() {
    }

    /** {@code rollBackAll}: the command that rolls back all of them instead, the preview's for a preview. */
    static void check(CommandScope command, String rollBackAll) throws LiquibaseException {
        int count = command.getArgumentValue(RollbackCountCommandStep.COUNT_ARG);
        Database database = (Database) command.getDependency(Database.class);
        DatabaseChangeLog changeLog = (DatabaseChangeLog) command.getDependency(DatabaseChangeLog.class);
        ChangeLogParameters parameters = (ChangeLogParameters) command.getDependency(ChangeLogParameters.class);
        int reachable = reachable(database, changeLog, parameters);
        if (count > reachable) {
            String labelFilter = parameters.getLabels() == null || parameters.getLabels().isEmpty() ? ""
                    : " --label-filter='" + parameters.getLabels().getOriginalString() + "'";
            EmptyHistory.remove(database);
            throw new CommandExecutionException("--count=" + count + " is more than the " + reachable + " revisions it"
                    + " can roll back here (" + changeLog.getPhysicalFilePath() + labelFilter + "); to roll back all of"
                    + " them, roll back to a date before them: " + rollBackAll + " --date=1970-01-01" + labelFilter
                    + "; nothing was done");
        }
    }

    private static int reachable(Database database, DatabaseChangeLog changeLog, ChangeLogParameters parameters)
            throws LiquibaseException {
        List<RanChangeSet> ran = database.getRanChangeSetList();
        int[] reachable = {0};
        new ChangeLogIterator(ran, changeLog, new AlreadyRanChangeSetFilter(ran),
                new ContextChangeSetFilter(parameters.getContexts()), new LabelChangeSetFilter(parameters.getLabels()),
                new IgnoreChangeSetFilter(), new DbmsChangeSetFilter(database))
                .run(new ChangeSetVisitor() {
                    @Override
                    public Direction getDirection() {
                        return Direction.REVERSE;
                    }

                    @Override
                    public void visit(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database,
                            Set<ChangeSetFilterResult> filterResults) {
                        reachable[0]++;
                    }
                }, new RuntimeEnvironment(database, parameters.getContexts(), parameters.getLabels()));
        return reachable[0];
    }
}
