package com.example.schemas.takeover;

import com.example.schemas.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;

/**
 * Liquibase creates its history table before any check runs. A run refused on a database that Liquibase never
 * deployed to would leave it empty, and the operator would find it and wonder (or find a second one in the schema
 * the run was wrongly aimed at); so a refusal removes it, while the run holds Liquibase's lock and before anything
 * was recorded. A preview has created nothing.
 */
public final class EmptyHistory {

    private EmptyHistory() {
    }

    public static void remove(Database database) {
        try {
            if (Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database) instanceof LoggingExecutor) {
                return;
            }
            Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
            String schema = database.getLiquibaseSchemaName() == null ? database.getDefaultSchemaName() : database.getLiquibaseSchemaName();
            String history = Sql.identifier(schema) + "." + Sql.identifier(database.getDatabaseChangeLogTableName());
            try (Statement statement = connection.createStatement();
                 ResultSet found = statement.executeQuery("SELECT to_regclass('" + history.replace("'", "''") + "') IS NOT NULL")) {
                found.next();
                if (!found.getBoolean(1)) {
                    return;
                }
            }
            try (Statement statement = connection.createStatement();
                 ResultSet empty = statement.executeQuery("SELECT NOT EXISTS (SELECT FROM " + history + ")")) {
                empty.next();
                if (empty.getBoolean(1)) {
                    statement.execute("DROP TABLE " + history);
                    if (!connection.getAutoCommit()) {
                        connection.commit();
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            Scope.getCurrentScope().getLog(EmptyHistory.class).warning("could not remove the empty history table: " + e.getMessage());
        }
    }
}
