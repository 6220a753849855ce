package com.example.schemas.takeover;

import com.example.schemas.LabelFilters;

import liquibase.LabelExpression;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.ValidationErrors;

/**
 * {@code labelFilterSelects}: refuses a run whose label filter selects no revision at all, which Liquibase would run
 * to success having done nothing. The master changelog's word check (okOrRefuse) comes first and names an unknown
 * word; this catches known words that together select nothing.
 */
public final class LabelFilterSelects extends NamedPrecondition {

    public LabelFilterSelects() {
        super("labelFilterSelects", "the label filter");
    }

    @Override
    public ValidationErrors validate(Database database) {
        return new ValidationErrors();
    }

    @Override
    public void check(Database database, DatabaseChangeLog changeLog, ChangeSet unused, ChangeExecListener listener)
            throws PreconditionErrorException {
        LabelExpression filter = changeLog.getChangeLogParameters() == null ? null : changeLog.getChangeLogParameters().getLabels();
        if (!LabelFilters.selectsAny(changeLog, filter)) {
            throw OkOrRefuse.refused(new OkOrRefuse.Refusal("-Dliquibase.labelFilter=" + filter.getOriginalString() + " selects no"
                    + " revision (" + LabelFilters.SELECTS_NOTHING_HINT + "); nothing was done"), database, changeLog, this);
        }
    }
}
