package com.example.schemas.locks;

import java.sql.Connection;
import java.sql.SQLException;

import com.github.blagerweij.sessionlock.PGLockService;
import liquibase.exception.LockException;

/**
 * Liquibase's lock for a deploy: liquibase-sessionlock's PostgreSQL session-level advisory lock (gone with the session
 * of a deploy that dies), except that a deploy waiting for it ends its transaction after every try. Waiting inside an
 * open transaction, it would hold a snapshot that the running deploy's concurrent index build waits for (a build
 * waits for every older snapshot), while it waits for that deploy's lock: both stuck until the waiter gives up
 * (DeployLockTest's two concurrent deploys). Behind a pooler it would also keep a server connection idle in
 * transaction. An advisory session lock outlives the transaction, so the try that takes it keeps it.
 */
public class DeployLockService extends PGLockService {

    @Override
    public int getPriority() {
        return super.getPriority() + 1;
    }

    @Override
    protected boolean acquireLock(Connection connection) throws SQLException, LockException {
        boolean acquired = super.acquireLock(connection);
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        return acquired;
    }
}
