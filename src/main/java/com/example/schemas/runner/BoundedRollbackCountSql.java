package com.example.schemas.runner;

import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.RollbackCountSqlCommandStep;

/** The preview of {@link BoundedRollbackCount}: refused as the rollback itself would be. */
@CommandOverride(override = RollbackCountSqlCommandStep.class)
public final class BoundedRollbackCountSql extends RollbackCountSqlCommandStep {

    @Override
    public void run(CommandResultsBuilder results) throws Exception {
        CountBound.checkRollback(results.getCommandScope(), COUNT_ARG, "rollback-to-date-sql");
        super.run(results);
    }
}
