package com.example.schemas.takeover;

import java.util.Set;
import java.util.stream.Collectors;

import liquibase.LabelExpression;
import liquibase.Labels;
import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.PreconditionFailedException;
import liquibase.exception.ValidationErrors;
import liquibase.precondition.Precondition;

/**
 * {@code takeOverCheckedFirst}, in a system's root changelog: what the first revision's {@code alembicTakeover} would
 * refuse is refused before any command starts, when that revision is still to run and the run's label filter chooses
 * it (as Liquibase's own label filter does: with the labels the revision inherits from its includes). Refused there, the
 * run stops with the refusal alone; refused by the revision itself, Liquibase would follow it
 * with the stack trace of a revision that stopped. The revision's own check stays, and does the take-over.
 */
public final class TakeOverCheckedFirst extends NamedPrecondition {

    private String label;

    /** The system's label, which is also the file name its revisions are recorded under. */
    public String getLabel() { return label; }
    public void setLabel(String label) { this.label = label; }

    public TakeOverCheckedFirst() {
        super("takeOverCheckedFirst", "the take-over check");
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = new ValidationErrors();
        errors.checkRequiredField("label", label);
        return errors;
    }

    @Override
    public void check(Database database, DatabaseChangeLog changeLog, ChangeSet unused, ChangeExecListener listener)
            throws PreconditionFailedException, PreconditionErrorException {
        LabelExpression filter = changeLog.getChangeLogParameters() == null ? null : changeLog.getChangeLogParameters().getLabels();
        Set<String> ran;
        try {
            ran = Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).getChangeLogService(database).getRanChangeSets()
                    .stream().map(recorded -> recorded.getChangeLog() + "::" + recorded.getId()).collect(Collectors.toSet());
        } catch (DatabaseException e) {
            throw new PreconditionErrorException(e, changeLog, this);
        }
        for (ChangeSet revision : changeLog.getChangeSets()) {
            if (!label.equals(revision.getFilePath()) || revision.getPreconditions() == null || ran.contains(revision.getFilePath() + "::" + revision.getId())
                    || filter != null && !filter.matches(new Labels(revision.buildFullLabels()))) {
                continue;
            }
            for (Precondition precondition : revision.getPreconditions().getNestedPreconditions()) {
                if (precondition instanceof AlembicTakeover takeover) {
                    takeover.refuseIfItMust(database, changeLog, revision);
                }
            }
        }
    }
}
