package com.example.schemas.locks;

import com.example.schemas.Sql;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import liquibase.change.AbstractChange;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;

/**
 * {@code createIndexConcurrently}: an index on a table that already exists, built without blocking its readers and
 * writers (CREATE INDEX CONCURRENTLY, so its revision runs outside a transaction: {@code runInTransaction: false}).
 * A build that failed or was cut off leaves an invalid index behind; the revision run again drops it (concurrently)
 * and builds it anew, and finds a valid one already built and leaves it, so a re-run after a failure at any point
 * completes the revision. A valid index (btree) on the same columns with the same uniqueness under another name (the
 * legacy migrator's) does the same job and is left as it is.
 */
@DatabaseChange(name = "createIndexConcurrently", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Builds an index concurrently, replacing an invalid one a failed build left")
public class CreateIndexConcurrentlyChange extends AbstractChange {

    private String schemaName;
    private String tableName;
    private String indexName;
    private String columnNames;
    private Boolean unique;

    @DatabaseChangeProperty(description = "The schema of the table")
    public String getSchemaName() { return schemaName; }
    public void setSchemaName(String schemaName) { this.schemaName = schemaName; }

    @DatabaseChangeProperty(description = "The table")
    public String getTableName() { return tableName; }
    public void setTableName(String tableName) { this.tableName = tableName; }

    @DatabaseChangeProperty(description = "The index")
    public String getIndexName() { return indexName; }
    public void setIndexName(String indexName) { this.indexName = indexName; }

    @DatabaseChangeProperty(description = "The indexed columns, comma-separated, in order")
    public String getColumnNames() { return columnNames; }
    public void setColumnNames(String columnNames) { this.columnNames = columnNames; }

    @DatabaseChangeProperty(description = "Whether the index is unique")
    public Boolean getUnique() { return unique; }
    public void setUnique(Boolean unique) { this.unique = unique; }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = super.validate(database);
        errors.checkRequiredField("schemaName", schemaName);
        errors.checkRequiredField("tableName", tableName);
        errors.checkRequiredField("indexName", indexName);
        errors.checkRequiredField("columnNames", columnNames);
        if (getChangeSet() != null && getChangeSet().isRunInTransaction()) {
            errors.addError("createIndexConcurrently needs its revision to run outside a transaction (runInTransaction: false)");
        }
        return errors;
    }

    @Override
    public boolean generateStatementsVolatile(Database database) {
        return true;
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        List<String> columns = Arrays.stream(columnNames.split(",")).map(String::trim).toList();
        String create = "CREATE " + (Boolean.TRUE.equals(unique) ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS " + Sql.identifier(indexName)
                + " ON " + Sql.identifier(schemaName) + "." + Sql.identifier(tableName) + " ("
                + columns.stream().map(Sql::identifier).collect(Collectors.joining(", ")) + ")";
        State state = state(database, columns);
        if (state == State.BUILT) {
            return new SqlStatement[0];
        }
        String waits = "readers and writers go on; it waits for the transactions older than it to end" + olderTransactions(database);
        SqlStatement build = WatchedStatement.of(database, create, getChangeSet().getId(), "building index " + indexName + " on " + tableName + " concurrently", waits);
        return state == State.ABSENT ? new SqlStatement[] {build} : new SqlStatement[] {WatchedStatement.of(database,
                "DROP INDEX CONCURRENTLY " + Sql.identifier(schemaName) + "." + Sql.identifier(indexName), getChangeSet().getId(),
                "dropping the invalid index " + indexName + " a failed build left", waits), build};
    }

    /**
     * The transactions of this database open for more than a second as the build starts, which it will wait for (and
     * the person watching with it): ": pid 123 (idle in transaction for 00:00:20: SELECT ...)", or nothing.
     */
    private static String olderTransactions(Database database) {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            return "";
        }
        try (Statement query = jdbc.getUnderlyingConnection().createStatement();
             ResultSet row = query.executeQuery("""
                     SELECT string_agg(format('pid %s (%s for %s: %s)', pid, state, date_trunc('second', clock_timestamp() - xact_start),
                                              left(regexp_replace(query, '\\s+', ' ', 'g'), 60)), ', ' ORDER BY xact_start)
                       FROM pg_stat_activity
                      WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start < clock_timestamp() - interval '1 second'""")) {
            row.next();
            return row.getString(1) == null ? "" : ": " + row.getString(1);
        } catch (SQLException e) {
            throw new UnexpectedLiquibaseException(e);
        }
    }

    private enum State { BUILT, LEFT_INVALID, ABSENT }

    /**
     * BUILT where a valid index by this name, or one on the same columns with the same uniqueness by any name (the
     * legacy migrator's), is there; LEFT_INVALID where a failed build left this one invalid; else ABSENT, as in an
     * offline preview, where nothing can be asked.
     */
    private State state(Database database, List<String> columns) {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            return State.ABSENT;
        }
        try (PreparedStatement query = jdbc.getUnderlyingConnection().prepareStatement("""
                SELECT coalesce(bool_or(x.indisvalid AND (i.relname = ? OR x.indisunique = ? AND i.relam = (SELECT oid FROM pg_am WHERE amname = 'btree') AND x.indpred IS NULL AND x.indexprs IS NULL
                         AND x.indnkeyatts = cardinality(?::text[])
                         AND ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, n)
                                     JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                                    WHERE k.n <= x.indnkeyatts ORDER BY k.n) = ?::text[])), false),
                       coalesce(bool_or(i.relname = ? AND NOT x.indisvalid), false)
                  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                 WHERE x.indrelid = to_regclass(format('%I.%I', ?::text, ?::text))""")) {
            Array key = jdbc.getUnderlyingConnection().createArrayOf("text", columns.toArray());
            query.setString(1, indexName);
            query.setBoolean(2, Boolean.TRUE.equals(unique));
            query.setArray(3, key);
            query.setArray(4, key);
            query.setString(5, indexName);
            query.setString(6, schemaName);
            query.setString(7, tableName);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getBoolean(1) ? State.BUILT : row.getBoolean(2) ? State.LEFT_INVALID : State.ABSENT;
            }
        } catch (SQLException e) {
            throw new UnexpectedLiquibaseException(e);
        }
    }

    @Override
    public String getConfirmationMessage() {
        return "Index " + indexName + " built concurrently on " + tableName;
    }
}
