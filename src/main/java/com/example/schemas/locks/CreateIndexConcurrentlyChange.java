package com.example.schemas.locks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
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
import liquibase.statement.core.RawSqlStatement;

/**
 * {@code createIndexConcurrently}: an index on a table that already exists, built without blocking its readers and
 * writers (CREATE INDEX CONCURRENTLY, so its revision runs outside a transaction: {@code runInTransaction: false}).
 * A build that failed or was cut off leaves an invalid index behind; the revision run again drops it (concurrently)
 * and builds it anew, and finds a valid one already built and leaves it, so a re-run after a failure at any point
 * completes the revision.
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
        String index = quoted(schemaName) + "." + quoted(indexName);
        String create = "CREATE " + (Boolean.TRUE.equals(unique) ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + quoted(indexName)
                + " ON " + quoted(schemaName) + "." + quoted(tableName) + " ("
                + Arrays.stream(columnNames.split(",")).map(column -> quoted(column.trim())).collect(Collectors.joining(", ")) + ")";
        Boolean valid = validity(database);
        if (valid == null) {
            return new SqlStatement[] {new RawSqlStatement(create)};
        }
        if (valid) {
            return new SqlStatement[0];
        }
        return new SqlStatement[] {new RawSqlStatement("DROP INDEX CONCURRENTLY " + index), new RawSqlStatement(create)};
    }

    /** Whether the index is there and valid; null where it is not there (or nothing can be asked: an offline preview). */
    private Boolean validity(Database database) {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            return null;
        }
        try {
            Connection connection = jdbc.getUnderlyingConnection();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT x.indisvalid FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace"
                    + " WHERE n.nspname = ? AND i.relname = ?")) {
                query.setString(1, schemaName);
                query.setString(2, indexName);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? row.getBoolean(1) : null;
                }
            }
        } catch (SQLException e) {
            throw new UnexpectedLiquibaseException(e);
        }
    }

    @Override
    public String getConfirmationMessage() {
        return "Index " + indexName + " built concurrently on " + tableName;
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
