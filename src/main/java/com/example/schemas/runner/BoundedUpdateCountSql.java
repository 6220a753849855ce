package com.example.schemas.runner;

import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.UpdateCountSqlCommandStep;

/** The preview of {@link BoundedUpdateCount}: refused as the update itself would be. */
@CommandOverride(override = UpdateCountSqlCommandStep.class)
public final class BoundedUpdateCountSql extends UpdateCountSqlCommandStep {

    @Override
    public void run(CommandResultsBuilder results) throws Exception {
        CountBound.checkUpdate(results.getCommandScope(), COUNT_ARG, "update-sql", "update-to-tag-sql");
        super.run(results);
    }
}
