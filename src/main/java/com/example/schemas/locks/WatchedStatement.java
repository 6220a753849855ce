package com.example.schemas.locks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.PreparedStatementFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.executor.ExecutorService;
import liquibase.executor.jvm.JdbcExecutor;
import liquibase.sql.SqlConfiguration;
import liquibase.statement.ExecutablePreparedStatement;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.RawSqlStatement;
import org.postgresql.util.PSQLException;

/**
 * A statement that may wait a long time (for a table's lock, for older transactions), run so that the person watching
 * the deploy sees it is alive: what the server says while it runs (the lock retries' warnings) is shown as it comes,
 * not when the statement ends as Liquibase shows it, and every {@link #QUIET_SECONDS} seconds without a word a line
 * says what the statement is still doing, for how long, and what it waits for.
 *
 * <p>Liquibase runs a statement of this kind by handing it the connection (JdbcExecutor's ExecutablePreparedStatement
 * path); everywhere else (validation, previews) it is the plain SQL it extends. The PostgreSQL driver adds each warning
 * to the statement as it arrives (pgjdbc#857), so another thread can read them while the statement runs.
 */
final class WatchedStatement extends RawSqlStatement implements ExecutablePreparedStatement {

    static final int QUIET_SECONDS = 5;

    private final Database database;
    private final String revision;
    private final String doing;
    private final String detail;

    private WatchedStatement(Database database, String sql, String revision, String doing, String detail) {
        super(sql);
        this.database = database;
        this.revision = revision;
        this.doing = doing;
        this.detail = detail;
    }

    /**
     * The statement to return from a change: watched when it runs against a database, plain SQL when a preview writes
     * it (a preview's executor writes SQL; told of a statement it cannot write as SQL, it would say so in the file).
     */
    static SqlStatement of(Database database, String sql, String revision, String doing, String detail) {
        boolean runs = database.getConnection() instanceof JdbcConnection
                && Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database) instanceof JdbcExecutor;
        return runs ? new WatchedStatement(database, sql, revision, doing, detail) : new RawSqlStatement(sql);
    }

    @Override
    public void execute(PreparedStatementFactory unused) throws DatabaseException {
        Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
        Consumer<String> say = Scope.getCurrentScope().getUI()::sendMessage;
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            Watcher watcher = new Watcher(statement, say, SqlConfiguration.SHOW_SQL_WARNING_MESSAGES.getCurrentValue());
            Thread watching = new Thread(watcher, revision + ": " + doing);
            watching.setDaemon(true);
            watching.start();
            SQLException failed = null;
            try {
                statement.execute(getSql());
            } catch (SQLException e) {
                failed = e;
            }
            // The statement's own outcome first; what the watcher says after it never hides it.
            watching.interrupt();
            try {
                watching.join(TimeUnit.SECONDS.toMillis(5));
                watcher.relayWarnings();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SQLException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
            if (failed != null) {
                throw failed;
            }
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw gaveUp(e);
            }
            throw new DatabaseException(e.getMessage() + " [Failed SQL: " + getSql() + "]", e);
        }
    }

    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /**
     * A wait for a lock that ran out (the lock retries gave up, or a statement after them waited its lock_timeout) is
     * no fault of the deploy: it is said first, as the run's first error line, in the server's words (which name the
     * table and the session holding it), and thrown without a stack trace, which would only bury it.
     */
    private DatabaseException gaveUp(SQLException e) {
        // The server's own message, without the driver's severity prefix (in the server's language) and context lines.
        String reason = revision + ": " + (e instanceof PSQLException server && server.getServerErrorMessage() != null
                ? server.getServerErrorMessage().getMessage() : e.getMessage());
        Scope.getCurrentScope().getLog(WatchedStatement.class).severe(reason);
        return new LockWaitGaveUp(reason);
    }

    static final class LockWaitGaveUp extends DatabaseException {
        LockWaitGaveUp(String reason) {
            super(reason);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** Relays the statement's warnings as they come, and says it is still at work when it has been quiet a while. */
    private final class Watcher implements Runnable {
        private final Statement statement;
        private final Consumer<String> say;
        private final boolean relaying;
        private final long started = System.nanoTime();
        private long lastWord = started;
        private SQLWarning lastWarning;

        /** relaying: whether the server's warnings are shown (Liquibase's liquibase.sql.showSqlWarnings). */
        Watcher(Statement statement, Consumer<String> say, boolean relaying) {
            this.statement = statement;
            this.say = say;
            this.relaying = relaying;
        }

        @Override
        public void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    TimeUnit.MILLISECONDS.sleep(250);
                    relayWarnings();
                    long now = System.nanoTime();
                    if (now - lastWord >= TimeUnit.SECONDS.toNanos(QUIET_SECONDS)) {
                        say.accept(revision + ": still " + doing + ", " + TimeUnit.NANOSECONDS.toSeconds(now - started) + " s so far; " + detail);
                        lastWord = now;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SQLException e) {
                say.accept(revision + ": could not read the server's messages while " + doing + ": " + e.getMessage());
            }
        }

        synchronized void relayWarnings() throws SQLException {
            if (!relaying) {
                return;
            }
            SQLWarning next = lastWarning == null ? statement.getWarnings() : lastWarning.getNextWarning();
            while (next != null) {
                say.accept(next.getMessage());
                lastWarning = next;
                lastWord = System.nanoTime();
                next = next.getNextWarning();
            }
        }
    }
}
