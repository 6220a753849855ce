package com.example.schemas.takeover;

import com.example.schemas.LabelFilters;
import com.example.schemas.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.PreconditionFailedException;
import liquibase.exception.ValidationErrors;
import liquibase.precondition.ErrorPrecondition;
import liquibase.precondition.Precondition;

/**
 * {@code okOrRefuse}: a query that answers 'ok', or in plain words why this run must not go on. The query can read the
 * run's label filter as {@code current_setting('deploy.label_filter')}. The words are the
 * refusal, as they are; sqlCheck would wrap them as "Expected 'ok' got '...'". Like the take-over check, a refusal
 * leaves no empty history table behind. A label filter with "@" is refused before the query runs
 * ({@link LabelFilters#refusalOfAt}).
 */
public final class OkOrRefuse extends NamedPrecondition {

    /** Every root's first check asks the database, which an offline URL (offline:postgresql) does not have. */
    static final String OFFLINE = "these changelogs ask the database itself before any command (where each system lives,"
            + " whether Alembic manages it), so an offline URL can neither run nor preview them; preview against the database"
            + " instead (updateSQL, update-sql: they change nothing); nothing was done";

    private String sql;

    public String getSql() { return sql; }
    public void setSql(String sql) { this.sql = sql; }

    public OkOrRefuse() {
        super("okOrRefuse", "refused");
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = new ValidationErrors();
        errors.checkRequiredField("sql", sql);
        return errors;
    }

    @Override
    public void check(Database database, DatabaseChangeLog changeLog, ChangeSet changeSet, ChangeExecListener listener)
            throws PreconditionFailedException, PreconditionErrorException {
        String filter = LabelFilters.given(changeLog.getChangeLogParameters());
        // Every okOrRefuse's SQL holds changelog properties, which such a filter leaves unfilled; each system's root
        // checks an okOrRefuse first, so this is the first thing any command about a system checks.
        String refusalOfAt = LabelFilters.refusalOfAt(filter);
        if (refusalOfAt != null) {
            throw refused(new Refusal(refusalOfAt), database, changeLog, this);
        }
        if (!(database.getConnection() instanceof JdbcConnection)) {
            throw refused(new Refusal(OFFLINE), database, changeLog, this);
        }
        String verdict;
        try {
            Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
            // The filter, for the query to read as current_setting('deploy.label_filter'), set for this transaction only:
            // one execution of both statements is one transaction, even where the connection commits each on its own.
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT set_config('deploy.label_filter', " + Sql.literal(filter) + ", true);\n" + sql);
                statement.getMoreResults();
                try (ResultSet row = statement.getResultSet()) {
                    verdict = row.next() ? row.getString(1) : null;
                }
            }
        } catch (SQLException e) {
            throw new PreconditionErrorException(e, changeLog, this);
        }
        if (!"ok".equals(verdict)) {
            throw refused(new Refusal(String.valueOf(verdict)), database, changeLog, this);
        }
    }

    /**
     * Stops the run for a refusal: removes the empty history table Liquibase made, says the refusal as the first
     * error of the run, and returns what the precondition throws. That exception carries no stack trace (the refusal is
     * the whole story, and Liquibase logs what its precondition throws with its trace); Maven's -e shows where.
     */
    static PreconditionErrorException refused(Refusal refusal, Database database, DatabaseChangeLog changeLog, Precondition precondition) {
        EmptyHistory.remove(database);
        Scope.getCurrentScope().getLog(OkOrRefuse.class).severe(refusal.getMessage());
        return new Refused(refusal, changeLog, precondition);
    }

    /** A refusal, in words for the person running the command. */
    static final class Refusal extends Exception {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Refused extends PreconditionErrorException {
        Refused(Refusal refusal, DatabaseChangeLog changeLog, Precondition precondition) {
            super(refusal.getMessage(), new ArrayList<>(List.of(new ErrorPrecondition(refusal, changeLog, precondition))));
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
