package com.example.schemas.takeover;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import liquibase.change.AbstractChange;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;

/**
 * {@code checkBeforeRollback}: the first step of the rollback of an Alembic revision whose rollback removes objects by
 * the names this changelog gives them. Where Liquibase recorded the revision at take-over without running it
 * (MARK_RAN), Alembic built what it made, possibly otherwise: the rollback goes on only where this database has
 * exactly what the revision builds here (catalog.txt), so that it restores what the revision before described.
 * Otherwise it stops before anything changes, naming the differences, and the Alembic release's downgrade is the way
 * back through that part of the history. A revision Liquibase ran needs no check.
 */
@DatabaseChange(name = "checkBeforeRollback", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Refuses the rollback of a revision recorded at take-over when the database differs from what it builds")
public class CheckBeforeRollbackChange extends AbstractChange {

    private String schemaName;

    @DatabaseChangeProperty(description = "The schema of the system's tables")
    public String getSchemaName() { return schemaName; }
    public void setSchemaName(String schemaName) { this.schemaName = schemaName; }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = super.validate(database);
        errors.checkRequiredField("schemaName", schemaName);
        return errors;
    }

    @Override
    public boolean generateStatementsVolatile(Database database) {
        return true;
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        ChangeSet changeSet = getChangeSet();
        try {
            Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
            if (!recordedWithoutRunning(connection, database, changeSet)) {
                return new SqlStatement[0];
            }
            Map<String, SortedSet<String>> built = Catalog.builtBeside(changeSet);
            List<String> revisions = new ArrayList<>(built.keySet());
            int position = revisions.indexOf(changeSet.getId());
            SortedSet<String> before = position > 0 ? built.get(revisions.get(position - 1)) : new TreeSet<>();
            SortedSet<String> made = Catalog.delta(built, changeSet.getId()).added();
            SortedSet<String> live = Catalog.read(connection, schemaName);
            if (live.containsAll(made)) {
                return new SqlStatement[0];
            }
            // What this database has in their place: objects on the same tables that were not there before the revision.
            List<String> namedBefore = before.stream().map(CheckBeforeRollbackChange::object).toList();
            SortedSet<String> sameObjects = new TreeSet<>();
            for (String line : live) {
                if (!namedBefore.contains(object(line)) && made.stream().anyMatch(m -> sameTable(m, line))) {
                    sameObjects.add(line);
                }
            }
            SortedSet<String> lacking = new TreeSet<>(made);
            lacking.removeAll(live);
            sameObjects.removeAll(made);
            throw new UnexpectedLiquibaseException(changeSet.getId() + " was recorded when this database was taken over from Alembic,"
                    + " not run by Liquibase, and what it built here differs from what its rollback removes: "
                    + String.join("; ", Catalog.differences(lacking, sameObjects))
                    + ". Nothing was rolled back. Roll this part of the history back with the Alembic release"
                    + " (alembic downgrade; alembic_version names " + changeSet.getId() + ")");
        } catch (SQLException | IOException e) {
            throw new UnexpectedLiquibaseException(e);
        }
    }

    private static boolean recordedWithoutRunning(Connection connection, Database database, ChangeSet changeSet) throws SQLException {
        String schema = database.getLiquibaseSchemaName() == null ? database.getDefaultSchemaName() : database.getLiquibaseSchemaName();
        try (PreparedStatement query = connection.prepareStatement(String.format(
                "SELECT exectype FROM \"%s\".\"%s\" WHERE id = ? AND author = ? AND filename = ?",
                schema.replace("\"", "\"\""), database.getDatabaseChangeLogTableName().replace("\"", "\"\"")))) {
            query.setString(1, changeSet.getId());
            query.setString(2, changeSet.getAuthor());
            query.setString(3, changeSet.getFilePath());
            try (ResultSet row = query.executeQuery()) {
                return row.next() && "MARK_RAN".equals(row.getString(1));
            }
        }
    }

    /** Whether two catalog lines are about the same table (or the same function or type). */
    private static boolean sameTable(String a, String b) {
        return tableOf(a).equals(tableOf(b));
    }

    /** Kind and name of a catalog line. */
    private static String object(String line) {
        int equals = line.indexOf(" = ");
        return equals < 0 ? line : line.substring(0, equals);
    }

    private static String tableOf(String line) {
        String[] words = line.split(" ", 3);
        String name = words[1];
        return words[0] + ":" + (name.contains(".") && !words[0].equals("function") ? name.substring(0, name.indexOf('.')) : name);
    }

    @Override
    public String getConfirmationMessage() {
        return "Checked that " + getChangeSet().getId() + " can be rolled back here";
    }
}
