package com.example.schemas;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import liquibase.Scope;

/**
 * The JDBC driver the Maven goals name for every environment but local: PostgreSQL's own, unless Maven could not put
 * the environment together (an unknown name, a variable that is not set, no system named). Then pom.xml builds a URL
 * that holds each reason in brackets, and this says each on a line of its own, as the command's first error, before
 * anything connects; Liquibase alone would print them run together, wrapped in "Driver class was not specified".
 */
public final class EnvironmentDriver implements Driver {

    private static final Pattern REASON = Pattern.compile("\\[([^]]*)]");

    private final Driver postgresql;

    public EnvironmentDriver() {
        postgresql = new org.postgresql.Driver();
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!url.startsWith("[")) {
            return postgresql.connect(url, info);
        }
        List<String> reasons = REASON.matcher(url).results().map(match -> match.group(1)).toList();
        reasons.forEach(Scope.getCurrentScope().getLog(EnvironmentDriver.class)::severe);
        throw new SQLException(String.join("; ", reasons) + "; nothing was connected to");
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return url.startsWith("[") || postgresql.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return postgresql.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return postgresql.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return postgresql.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return postgresql.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return postgresql.getParentLogger();
    }
}
