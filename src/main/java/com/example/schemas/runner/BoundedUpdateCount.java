package com.example.schemas.runner;

import liquibase.command.CommandOverride;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.core.UpdateCountCommandStep;

/** Liquibase's update-count, refused when the count is larger than what it can apply ({@link CountBound}). */
@CommandOverride(override = UpdateCountCommandStep.class)
public final class BoundedUpdateCount extends UpdateCountCommandStep {

    @Override
    public void run(CommandResultsBuilder results) throws Exception {
        CountBound.checkUpdate(results.getCommandScope(), COUNT_ARG, "update", "update-to-tag");
        super.run(results);
    }
}
