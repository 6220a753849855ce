package com.example.schemas.takeover;

import com.example.schemas.Sql;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.PreconditionFailedException;
import liquibase.exception.ValidationErrors;

/**
 * {@code builtAlready}: holds where everything the revision builds (its lines in catalog.txt) is in the schema and
 * everything it removes is gone, judged by what each object does, not by its name, so that an index or key the legacy
 * migrator made under a name of its own counts. Used as {@code not: builtAlready} with {@code onFail: MARK_RAN}: a
 * revision already built is recorded as applied, not run. A revision half built (a column there, its index not; an
 * index a failed concurrent build left INVALID; a key added NOT VALID and not validated) does not hold, so the
 * revision runs and completes it; so does one whose alembic_version names an earlier revision (a run that died
 * before its last step, which moves alembic_version on).
 */
public final class BuiltAlready extends NamedPrecondition {

    private String schemaName;

    public String getSchemaName() { return schemaName; }
    public void setSchemaName(String schemaName) { this.schemaName = schemaName; }

    public BuiltAlready() {
        super("builtAlready", "the check for what the revision builds");
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = new ValidationErrors();
        errors.checkRequiredField("schemaName", schemaName);
        return errors;
    }

    @Override
    public void check(Database database, DatabaseChangeLog changeLog, ChangeSet changeSet, ChangeExecListener listener)
            throws PreconditionFailedException, PreconditionErrorException {
        try {
            Map<String, SortedSet<String>> built = Catalog.builtBeside(changeSet);
            Catalog.Delta delta = Catalog.delta(built, changeSet.getId());
            Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
            Set<String> live = Catalog.read(connection, schemaName).stream().map(Catalog::unnamed).collect(Collectors.toSet());
            List<String> unbuilt = Stream.concat(
                    delta.added().stream().filter(line -> !live.contains(Catalog.unnamed(line))).map(line -> line + " is missing"),
                    delta.removed().stream().filter(line -> live.contains(Catalog.unnamed(line))).map(line -> line + " is still there"))
                    .collect(Collectors.toCollection(ArrayList::new));
            String behind = alembicBehind(connection, List.copyOf(built.keySet()), changeSet.getId());
            if (behind != null) {
                unbuilt.add("alembic_version names " + behind + ", which comes before it, so the revision runs to the end and moves it on");
            }
            if (!unbuilt.isEmpty()) {
                throw new PreconditionFailedException(changeSet.getId() + " is not built yet: " + String.join("; ", unbuilt), changeLog, this);
            }
        } catch (SQLException | IOException e) {
            throw new PreconditionErrorException(e, changeLog, this);
        }
    }

    /**
     * The revision alembic_version names where it names only revisions before this one: a run that built everything
     * and died before its last step moved alembic_version on. Null where there is no alembic_version, or it names
     * this revision, a later one or none of this system's.
     */
    private String alembicBehind(Connection connection, List<String> revisions, String revision) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT to_regclass(format('%I.alembic_version', ?::text)) IS NOT NULL")) {
            query.setString(1, schemaName);
            try (ResultSet exists = query.executeQuery()) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return null;
                }
            }
        }
        List<String> named = new ArrayList<>();
        try (Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery("SELECT version_num FROM " + Sql.identifier(schemaName) + ".alembic_version")) {
            while (rows.next()) {
                named.add(rows.getString(1));
            }
        }
        int position = revisions.indexOf(revision);
        boolean allBefore = !named.isEmpty() && named.stream().allMatch(id -> revisions.contains(id) && revisions.indexOf(id) < position);
        return allBefore ? String.join(", ", named) : null;
    }
}
