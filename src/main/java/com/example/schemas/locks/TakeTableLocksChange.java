package com.example.schemas.locks;

import com.example.schemas.LabelFilters;
import com.example.schemas.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

import liquibase.change.AbstractChange;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;

/**
 * {@code takeTableLocks}: the first change of every revision that alters tables which already exist, and of its
 * rollback. It takes the tables' locks with a bounded wait and retries (with-lock-retries.sql beside this class).
 *
 * <p>How long it waits and how often it tries are the changelog parameters {@code deploy.lock_timeout} and
 * {@code deploy.lock_attempts} (defaults in changelog/alembic.yaml; {@code -Ddeploy.lock_timeout=3s},
 * {@code spring.liquibase.parameters.deploy.lock_attempts=10}). They are read when the change runs, not kept in it,
 * so they are not part of the revision's checksum: a deployed database accepts other values on the next deploy.
 */
@DatabaseChange(name = "takeTableLocks", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Takes table locks with a bounded wait, retrying with back-off, before a revision's statements")
public class TakeTableLocksChange extends AbstractChange {

    private static final String TEMPLATE = template();

    private String schemaName;
    private String tableNames;
    private String lockMode = "ACCESS EXCLUSIVE";
    private String sql;

    @DatabaseChangeProperty(description = "The schema of the tables")
    public String getSchemaName() { return schemaName; }
    public void setSchemaName(String schemaName) { this.schemaName = schemaName; }

    @DatabaseChangeProperty(description = "The tables, comma-separated, in the order their locks are taken")
    public String getTableNames() { return tableNames; }
    public void setTableNames(String tableNames) { this.tableNames = tableNames; }

    @DatabaseChangeProperty(description = "The lock mode, ACCESS EXCLUSIVE unless given")
    public String getLockMode() { return lockMode; }
    public void setLockMode(String lockMode) { this.lockMode = lockMode; }

    @DatabaseChangeProperty(description = "A statement to run once the locks are held, in the same transaction: for a revision"
            + " that runs outside a transaction, where locks taken by a statement of their own would be let go at once")
    public String getSql() { return sql; }
    public void setSql(String sql) { this.sql = sql; }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = super.validate(database);
        errors.checkRequiredField("schemaName", schemaName);
        errors.checkRequiredField("tableNames", tableNames);
        if (lockMode != null && !lockMode.matches("(ACCESS|ROW|SHARE ROW|SHARE UPDATE)? ?(SHARE|EXCLUSIVE)")) {
            errors.addError("takeTableLocks: lockMode '" + lockMode + "' is not a PostgreSQL table lock mode");
        }
        if (getChangeSet() != null && getChangeSet().getChangeLogParameters() != null) {
            for (String problem : new String[] {problem(TIMEOUT), problem(ATTEMPTS)}) {
                if (problem != null) {
                    errors.addError(problem);
                }
            }
        }
        return errors;
    }

    /** Liquibase validates the revisions an update will run; a rollback's changes are checked here. */
    @Override
    public SqlStatement[] generateStatements(Database database) {
        for (String[] parameter : new String[][] {TIMEOUT, ATTEMPTS}) {
            if (problem(parameter) != null) {
                throw new UnexpectedLiquibaseException(problem(parameter));
            }
        }
        String locks = Arrays.stream(tableNames.split(","))
                .map(table -> Sql.literal(lockMode + ":") + " || format('%I.%I', " + Sql.literal(schemaName) + ", " + Sql.literal(table.trim()) + ")")
                .collect(Collectors.joining(", "));
        return new SqlStatement[] {WatchedStatement.of(database, TEMPLATE
                .replace("{{locks}}", locks)
                .replace("{{timeout}}", parameter(TIMEOUT[0]))
                .replace("{{attempts}}", parameter(ATTEMPTS[0]))
                .replace("{{outcome}}", getChangeSet().isRunInTransaction() ? "nothing was changed, deploy again once that is done"
                        : "this step changed nothing, and deploying again once that is done completes the revision")
                .replace("{{statement}}", sql == null ? "" : "EXECUTE $statement$" + sql.strip() + "\n$statement$;"),
                getChangeSet().getId(), "locking " + tableNames + (sql == null ? "" : " and changing them"),
                "each try waits at most " + parameter(TIMEOUT[0]) + ", then lets readers and writers pass")};
    }

    @Override
    public String getConfirmationMessage() {
        return "Took " + lockMode + " locks on " + tableNames;
    }

    /** Each parameter: its name, the form of its values, and what to give instead. */
    private static final String[] TIMEOUT = {"deploy.lock_timeout", "[1-9][0-9]*(ms|s|min)", "give a wait such as 1s, 500ms or 1min"};
    private static final String[] ATTEMPTS = {"deploy.lock_attempts", "[1-9][0-9]?", "give a number of tries from 1 to 99"};

    private String problem(String[] parameter) {
        // Such a filter hides the parameters too; its own refusal (okOrRefuse) is the one to repeat, not an empty value.
        String refusalOfAt = LabelFilters.refusalOfAt(LabelFilters.given(getChangeSet().getChangeLogParameters()));
        if (refusalOfAt != null) {
            return refusalOfAt;
        }
        String value = parameter(parameter[0]);
        return value != null && value.matches(parameter[1]) ? null : parameter[0] + " is '" + value + "': " + parameter[2];
    }

    private String parameter(String name) {
        Object value = getChangeSet().getChangeLogParameters().getValue(name, getChangeSet().getChangeLog());
        return value == null ? null : value.toString().trim();
    }

    private static String template() {
        try (InputStream file = TakeTableLocksChange.class.getResourceAsStream("with-lock-retries.sql")) {
            return new String(file.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
