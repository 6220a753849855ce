package com.example.schemas.runner;

import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.RollbackCountCommandStep;

/** Liquibase's rollback-count, refused when the count is larger than what it can roll back ({@link CountBound}). */
@CommandOverride(override = RollbackCountCommandStep.class)
public final class BoundedRollbackCount extends RollbackCountCommandStep {

    @Override
    public void run(CommandResultsBuilder results) throws Exception {
        CountBound.checkRollback(results.getCommandScope(), COUNT_ARG, "rollback-to-date");
        super.run(results);
    }
}
