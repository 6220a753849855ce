package com.example.schemas.runner;

import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.RollbackCountCommandStep;

/** Liquibase's rollback-count, refused when the count is larger than what it can roll back ({@link RollbackCountBound}). */
@CommandOverride(override = RollbackCountCommandStep.class)
public final class BoundedRollbackCount extends RollbackCountCommandStep {

    @Override
    public void run(CommandResultsBuilder results) throws Exception {
        RollbackCountBound.check(results.getCommandScope(), "rollback-to-date");
        super.run(results);
    }
}
