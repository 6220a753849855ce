package com.example.schemas.takeover;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
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
import liquibase.exception.Warnings;
import liquibase.precondition.AbstractPrecondition;

/**
 * {@code builtAlready}: holds where everything the revision builds (its lines in catalog.txt) is in the schema and
 * everything it removes is gone, judged by what each object does, not by its name, so that an index or key the legacy
 * migrator made under a name of its own counts. Used as {@code not: builtAlready} with {@code onFail: MARK_RAN}: a
 * revision already built is recorded as applied, not run. A revision half built (a column there, its index not; an
 * index a failed concurrent build left INVALID; a key added NOT VALID and not validated) does not hold, so the
 * revision runs and completes it.
 */
public final class BuiltAlready extends AbstractPrecondition {

    private String schemaName;

    public String getSchemaName() { return schemaName; }
    public void setSchemaName(String schemaName) { this.schemaName = schemaName; }

    @Override
    public String getName() {
        return "builtAlready";
    }

    @Override
    public String getSerializedObjectNamespace() {
        return GENERIC_CHANGELOG_EXTENSION_NAMESPACE;
    }

    @Override
    public Warnings warn(Database database) {
        return new Warnings();
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
            Catalog.Delta delta = Catalog.delta(Catalog.builtBeside(changeSet), changeSet.getId());
            Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
            Set<String> live = Catalog.read(connection, schemaName).stream().map(Catalog::unnamed).collect(Collectors.toSet());
            List<String> unbuilt = Stream.concat(
                    delta.added().stream().filter(line -> !live.contains(Catalog.unnamed(line))).map(line -> line + " is missing"),
                    delta.removed().stream().filter(line -> live.contains(Catalog.unnamed(line))).map(line -> line + " is still there"))
                    .toList();
            if (!unbuilt.isEmpty()) {
                throw new PreconditionFailedException(changeSet.getId() + " is not built yet: " + String.join("; ", unbuilt), changeLog, this);
            }
        } catch (SQLException | IOException e) {
            throw new PreconditionErrorException(e, changeLog, this);
        }
    }
}
