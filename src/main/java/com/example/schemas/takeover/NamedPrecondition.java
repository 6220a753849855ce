package com.example.schemas.takeover;

import liquibase.database.Database;
import liquibase.exception.Warnings;
import liquibase.precondition.AbstractPrecondition;

/**
 * What this project's preconditions share: the name a changelog gives them, Liquibase's namespace for extensions,
 * the words a failure names them by (Liquibase's default is the class and a hash), and no warnings of their own.
 */
public abstract class NamedPrecondition extends AbstractPrecondition {

    private final String name;
    private final String description;

    protected NamedPrecondition(String name, String description) {
        this.name = name;
        this.description = description;
    }

    @Override
    public final String getName() {
        return name;
    }

    @Override
    public final String getSerializedObjectNamespace() {
        return GENERIC_CHANGELOG_EXTENSION_NAMESPACE;
    }

    @Override
    public final String toString() {
        return description;
    }

    @Override
    public final Warnings warn(Database database) {
        return new Warnings();
    }
}
