package com.example.schemas.takeover;

import com.example.schemas.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.OfflineConnection;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LockException;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;

/**
 * Liquibase creates its history table before any check runs. A run refused on a database that Liquibase never
 * deployed to would leave it empty, and the operator would find it and wonder (or find a second one in the schema
 * the run was wrongly aimed at); so a refusal removes it. A refusal can come before the run holds Liquibase's lock
 * (update takes it after reading the changelog), and a deploy started at the same moment may have made the table
 * and be in its first revision: so the table goes only if this run gets Liquibase's lock without waiting (or holds
 * it) and, in one transaction, the table's own lock without waiting, and it is empty. Otherwise it stays, empty. A
 * preview has created nothing.
 * <p>One race is left: a deploy that made the table and has not yet taken Liquibase's lock. Recording its first
 * revision then fails and it stops there. Every system's first revision runs in one transaction, which that failure
 * rolls back, so on the database this concerns (one where no revision was ever recorded) nothing stays applied.
 */
public final class EmptyHistory {

    private EmptyHistory() {
    }

    public static void remove(Database database) {
        try {
            if (database.getConnection() instanceof OfflineConnection offline) {
                removeOfflineIfEmpty(offline);
                return;
            }
            if (Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database) instanceof LoggingExecutor) {
                return;
            }
            LockService lock = LockServiceFactory.getInstance().getLockService(database);
            boolean heldAlready = lock.hasChangeLogLock();
            if (!heldAlready && !lock.acquireLock()) {
                return;
            }
            try {
                dropIfEmpty(((JdbcConnection) database.getConnection()).getUnderlyingConnection(), database);
            } finally {
                if (!heldAlready) {
                    lock.releaseLock();
                }
            }
        } catch (SQLException | LockException | RuntimeException e) {
            Scope.getCurrentScope().getLog(EmptyHistory.class).warning("could not remove the empty history table: " + e.getMessage());
        }
    }

    /**
     * An offline URL (offline:postgresql?changeLogFile=...) keeps the history in a CSV file, which Liquibase writes, with
     * its header only, before any check runs: in the working directory unless the URL names another.
     */
    private static void removeOfflineIfEmpty(OfflineConnection offline) {
        String file = "databasechangelog.csv";
        String url = offline.getURL();
        if (url.contains("?")) {
            for (String parameter : url.substring(url.indexOf('?') + 1).split("&")) {
                String[] keyValue = parameter.split("=", 2);
                if (keyValue.length == 2 && URLDecoder.decode(keyValue[0], StandardCharsets.UTF_8).equals("changeLogFile")) {
                    file = URLDecoder.decode(keyValue[1], StandardCharsets.UTF_8);
                }
            }
        }
        Path history = Path.of(file);
        try {
            if (Files.isRegularFile(history) && Files.readAllLines(history).size() <= 1) {
                Files.delete(history);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void dropIfEmpty(Connection connection, Database database) throws SQLException {
        String schema = database.getLiquibaseSchemaName() == null ? database.getDefaultSchemaName() : database.getLiquibaseSchemaName();
        String history = Sql.identifier(schema) + "." + Sql.identifier(database.getDatabaseChangeLogTableName());
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            try (ResultSet found = statement.executeQuery("SELECT to_regclass(" + Sql.literal(history) + ") IS NOT NULL")) {
                found.next();
                if (!found.getBoolean(1)) {
                    connection.rollback();
                    return;
                }
            }
            statement.execute("LOCK TABLE " + history + " IN ACCESS EXCLUSIVE MODE NOWAIT");
            try (ResultSet empty = statement.executeQuery("SELECT NOT EXISTS (SELECT FROM " + history + ")")) {
                empty.next();
                if (empty.getBoolean(1)) {
                    statement.execute("DROP TABLE " + history);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
