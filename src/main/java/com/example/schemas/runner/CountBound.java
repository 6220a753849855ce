package com.example.schemas.runner;

import com.example.schemas.LabelFilters;
import com.example.schemas.takeover.EmptyHistory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import liquibase.changelog.filter.ShouldRunChangeSetFilter;
import liquibase.changelog.visitor.ChangeSetVisitor;
import liquibase.command.CommandArgumentDefinition;
import liquibase.command.CommandScope;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CommandExecutionException;
import liquibase.exception.DatabaseException;
import liquibase.exception.LiquibaseException;

/**
 * Alembic refuses {@code downgrade -3} when two revisions are applied, and {@code upgrade +3} when two are left;
 * Liquibase's rollback-count and update-count do the two and succeed, so a slip of the count takes a system further
 * than asked, back to nothing or on to head, with exit code 0. The runner refuses a count larger than what the
 * command can reach, or below 1 (where Liquibase does nothing and succeeds), before it does anything. What it can reach is counted as Liquibase picks it: the applied
 * changesets of this changelog (for a rollback) or those still to run (for an update) that the contexts and the label
 * filter let through, one changeset per revision. The Maven goals have their own check in the master changelog,
 * which names -D properties.
 */
final class CountBound {

    private CountBound() {
    }

    /** {@code rollBackAll}: the command that rolls back all of them instead, the preview's for a preview. */
    static void checkRollback(CommandScope command, CommandArgumentDefinition<Integer> count, String rollBackAll)
            throws LiquibaseException {
        check(command, count, true, "roll back", "roll back to a date before them: " + rollBackAll + " --date=1970-01-01");
    }

    /**
     * {@code updateAll}, {@code updateToTag}: the commands that apply all of them, or up to a revision, instead (the
     * previews' for a preview; taking a database over from Alembic is update-to-tag's, even before a preview).
     */
    static void checkUpdate(CommandScope command, CommandArgumentDefinition<Integer> count, String updateAll, String updateToTag)
            throws LiquibaseException {
        int value = command.getArgumentValue(count);
        if (value >= 1) {
            refuseWhereAlembicIsAhead(command, value, updateToTag);
        }
        check(command, count, false, "apply", "leave the count out (Alembic's upgrade head): " + updateAll);
    }

    /**
     * On a database Alembic still manages, an update first records the revisions Alembic applied, a changeset each, so
     * a count would spend itself on them where Alembic's upgrade +N counts from Alembic's revision. Each system is
     * asked with its changelog's own SQL (alembic.ahead, changelog/alembic.yaml), which the Maven goals' check reads
     * too; the revisions it names count where the label filter lets them through, as Liquibase's count does.
     */
    private static void refuseWhereAlembicIsAhead(CommandScope command, int count, String updateToTag) throws LiquibaseException {
        Database database = (Database) command.getDependency(Database.class);
        DatabaseChangeLog changeLog = (DatabaseChangeLog) command.getDependency(DatabaseChangeLog.class);
        ChangeLogParameters parameters = (ChangeLogParameters) command.getDependency(ChangeLogParameters.class);
        LabelChangeSetFilter labels = new LabelChangeSetFilter(parameters.getLabels());
        Map<String, DatabaseChangeLog> systems = new LinkedHashMap<>();
        Set<String> filtered = new HashSet<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            Object system = parameters.getValue("system.name", changeSet.getChangeLog());
            if (system != null && labels.accepts(changeSet).isAccepted()) {
                systems.putIfAbsent(system.toString(), changeSet.getChangeLog());
                filtered.add(system + "::" + changeSet.getId());
            }
        }
        String labelFilter = labelFilterArgument(parameters);
        for (Map.Entry<String, DatabaseChangeLog> system : systems.entrySet()) {
            String sql = parameters.expandExpressions(String.valueOf(parameters.getValue("alembic.ahead", system.getValue())), system.getValue());
            Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
            String revision = null;
            String next = null;
            int takenOver = 0;
            try (Statement statement = connection.createStatement(); ResultSet ahead = statement.executeQuery(sql)) {
                while (ahead.next()) {
                    revision = ahead.getString("revision");
                    next = ahead.getString("next");
                    takenOver += filtered.contains(system.getKey() + "::" + ahead.getString("id")) ? 1 : 0;
                }
            } catch (SQLException e) {
                try {
                    connection.rollback();
                } catch (SQLException alsoFailed) {
                    e.addSuppressed(alsoFailed);
                }
                throw new DatabaseException("could not read where Alembic left " + system.getKey() + ": " + e.getMessage(), e);
            }
            if (takenOver > 0) {
                EmptyHistory.remove(database);
                throw new CommandExecutionException("Alembic manages " + system.getKey() + " here (alembic_version: " + revision
                        + "), and --count=" + count + " would be spent recording the " + takenOver
                        + (takenOver == 1 ? " revision" : " revisions") + " Alembic applied (the take-over) before any revision"
                        + " after it; take it over first with update-to-tag --tag=" + revision + labelFilter + " (it records"
                        + " them and runs nothing), then count"
                        + (next == null ? "" : ", or name the revision to reach: " + updateToTag + " --tag=" + next + labelFilter)
                        + "; nothing was done");
            }
        }
    }

    private static String labelFilterArgument(ChangeLogParameters parameters) {
        String given = LabelFilters.given(parameters);
        return given.isBlank() ? "" : " --label-filter='" + given + "'";
    }

    private static void check(CommandScope command, CommandArgumentDefinition<Integer> countArgument, boolean rollback,
            String verb, String instead) throws LiquibaseException {
        int count = command.getArgumentValue(countArgument);
        Database database = (Database) command.getDependency(Database.class);
        if (count < 1) {
            EmptyHistory.remove(database);
            throw new CommandExecutionException("--count=" + count + " is not a number of revisions to " + verb
                    + " (1 or more); nothing was done");
        }
        DatabaseChangeLog changeLog = (DatabaseChangeLog) command.getDependency(DatabaseChangeLog.class);
        ChangeLogParameters parameters = (ChangeLogParameters) command.getDependency(ChangeLogParameters.class);
        int reachable = reachable(database, changeLog, parameters, rollback);
        if (count > reachable) {
            String labelFilter = labelFilterArgument(parameters);
            EmptyHistory.remove(database);
            throw new CommandExecutionException("--count=" + count + " is more than the " + reachable
                    + (reachable == 1 ? " revision" : " revisions") + " it can " + verb + " here (" + changeLog.getPhysicalFilePath() + labelFilter + "); to " + verb + " all of"
                    + " them, " + instead + labelFilter + "; nothing was done");
        }
    }

    private static int reachable(Database database, DatabaseChangeLog changeLog, ChangeLogParameters parameters, boolean rollback)
            throws LiquibaseException {
        List<RanChangeSet> ran = database.getRanChangeSetList();
        ContextChangeSetFilter contexts = new ContextChangeSetFilter(parameters.getContexts());
        LabelChangeSetFilter labels = new LabelChangeSetFilter(parameters.getLabels());
        ChangeLogIterator iterator = rollback
                ? new ChangeLogIterator(ran, changeLog, new AlreadyRanChangeSetFilter(ran), contexts, labels,
                        new IgnoreChangeSetFilter(), new DbmsChangeSetFilter(database))
                : new ChangeLogIterator(changeLog, new ShouldRunChangeSetFilter(database), contexts, labels,
                        new DbmsChangeSetFilter(database), new IgnoreChangeSetFilter());
        int[] reachable = {0};
        iterator.run(new ChangeSetVisitor() {
            @Override
            public Direction getDirection() {
                return rollback ? Direction.REVERSE : Direction.FORWARD;
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
