package com.example.schemas.locks;

import com.example.schemas.Sql;
import java.util.Map;

import liquibase.change.AbstractChange;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.RawSqlStatement;

import static com.example.schemas.Sql.literal;

/**
 * {@code addForeignKeyOnline}: a foreign key on a table that already holds rows, added without blocking its readers and
 * writers for longer than a catalog change: first NOT VALID under the tables' locks (taken as {@code takeTableLocks}
 * takes them, with its bounded waits), which checks every row written from then on, then validated in a transaction
 * of its own, which reads the existing rows under a lock that lets reads and writes go on. Its revision runs outside
 * a transaction ({@code runInTransaction: false}); inside one, the first lock would be held through the validation.
 *
 * <p>The key is found by what it does (this column referring to that table), whatever its name: one already there is
 * kept (or, with {@code replaceOtherDeleteRule}, replaced where its delete rule is another), and one left NOT VALID
 * by a run that failed is validated, so a re-run after a failure at any point completes the revision.
 */
@DatabaseChange(name = "addForeignKeyOnline", priority = ChangeMetaData.PRIORITY_DEFAULT,
        description = "Adds a foreign key NOT VALID under bounded lock waits, then validates it without blocking writes")
public class AddForeignKeyOnlineChange extends AbstractChange {

    /** pg_constraint.confdeltype for each delete rule. */
    private static final Map<String, String> DELETE_RULES =
            Map.of("NO ACTION", "a", "RESTRICT", "r", "CASCADE", "c", "SET NULL", "n", "SET DEFAULT", "d");

    private String schemaName;
    private String tableName;
    private String columnName;
    private String referencedTableName;
    private String referencedColumnName = "id";
    private String constraintName;
    private String onDelete = "NO ACTION";
    private Boolean replaceOtherDeleteRule = false;

    @DatabaseChangeProperty(description = "The schema of both tables")
    public String getSchemaName() { return schemaName; }
    public void setSchemaName(String schemaName) { this.schemaName = schemaName; }

    @DatabaseChangeProperty(description = "The table that refers")
    public String getTableName() { return tableName; }
    public void setTableName(String tableName) { this.tableName = tableName; }

    @DatabaseChangeProperty(description = "Its column that refers")
    public String getColumnName() { return columnName; }
    public void setColumnName(String columnName) { this.columnName = columnName; }

    @DatabaseChangeProperty(description = "The table referred to")
    public String getReferencedTableName() { return referencedTableName; }
    public void setReferencedTableName(String referencedTableName) { this.referencedTableName = referencedTableName; }

    @DatabaseChangeProperty(description = "Its column referred to, id unless given")
    public String getReferencedColumnName() { return referencedColumnName; }
    public void setReferencedColumnName(String referencedColumnName) { this.referencedColumnName = referencedColumnName; }

    @DatabaseChangeProperty(description = "The name a key added here is given")
    public String getConstraintName() { return constraintName; }
    public void setConstraintName(String constraintName) { this.constraintName = constraintName; }

    @DatabaseChangeProperty(description = "The delete rule: NO ACTION unless given, RESTRICT, CASCADE, SET NULL or SET DEFAULT")
    public String getOnDelete() { return onDelete; }
    public void setOnDelete(String onDelete) { this.onDelete = onDelete; }

    @DatabaseChangeProperty(description = "Whether a key there already with another delete rule is replaced (else it is kept)")
    public Boolean getReplaceOtherDeleteRule() { return replaceOtherDeleteRule; }
    public void setReplaceOtherDeleteRule(Boolean replaceOtherDeleteRule) { this.replaceOtherDeleteRule = replaceOtherDeleteRule; }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = super.validate(database);
        errors.checkRequiredField("schemaName", schemaName);
        errors.checkRequiredField("tableName", tableName);
        errors.checkRequiredField("columnName", columnName);
        errors.checkRequiredField("referencedTableName", referencedTableName);
        errors.checkRequiredField("constraintName", constraintName);
        if (!DELETE_RULES.containsKey(onDelete)) {
            errors.addError("addForeignKeyOnline: onDelete '" + onDelete + "' is none of " + String.join(", ", DELETE_RULES.keySet()));
        }
        if (getChangeSet() != null && getChangeSet().isRunInTransaction()) {
            errors.addError("addForeignKeyOnline needs its revision to run outside a transaction (runInTransaction: false)");
        }
        return errors;
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        String keys = """
                SELECT conname FROM pg_constraint
                 WHERE contype = 'f' AND conrelid = base AND confrelid = referenced
                   AND conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = base AND attname = %s)]
                   AND confkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = referenced AND attname = %s)]"""
                .formatted(literal(columnName), literal(referencedColumnName));
        String declarations = """
                DECLARE
                  base regclass := format('%%I.%%I', %1$s, %2$s)::regclass;
                  referenced regclass := format('%%I.%%I', %1$s, %3$s)::regclass;
                  key record;
                """.formatted(literal(schemaName), literal(tableName), literal(referencedTableName));
        String add = """
                DO $key$
                %s
                BEGIN
                  FOR key IN %s AND confdeltype <> %s AND %s LOOP
                    EXECUTE format('ALTER TABLE %%s DROP CONSTRAINT %%I', base, key.conname);
                  END LOOP;
                  IF NOT EXISTS (%s) THEN
                    EXECUTE format('ALTER TABLE %%s ADD CONSTRAINT %%I FOREIGN KEY (%%I) REFERENCES %%s (%%I) ON DELETE %s NOT VALID',
                                   base, %s, %s, referenced, %s);
                  END IF;
                END
                $key$
                """.formatted(declarations, keys, literal(DELETE_RULES.get(onDelete)), Boolean.TRUE.equals(replaceOtherDeleteRule), keys, onDelete,
                        literal(constraintName), literal(columnName), literal(referencedColumnName));
        String validate = """
                DO $$
                %s
                BEGIN
                  FOR key IN %s AND NOT convalidated LOOP
                    EXECUTE format('ALTER TABLE %%s VALIDATE CONSTRAINT %%I', base, key.conname);
                  END LOOP;
                END
                $$""".formatted(declarations, keys);
        TakeTableLocksChange locked = new TakeTableLocksChange();
        locked.setChangeSet(getChangeSet());
        locked.setSchemaName(schemaName);
        // The referenced table first, as the application's transactions take them (an order, then its lines): taken the
        // other way round, a writer holding the first and queued for the second would deadlock with the deploy.
        locked.setTableNames(referencedTableName + ", " + tableName);
        // Adding a key needs SHARE ROW EXCLUSIVE, which lets readers through; dropping one needs ACCESS EXCLUSIVE.
        locked.setLockMode(Boolean.TRUE.equals(replaceOtherDeleteRule) ? "ACCESS EXCLUSIVE" : "SHARE ROW EXCLUSIVE");
        locked.setSql(add);
        SqlStatement[] adding = locked.generateStatements(database);
        return new SqlStatement[] {adding[0], WatchedStatement.of(database, validate, getChangeSet().getId(),
                "validating the key " + tableName + "." + columnName + " -> " + referencedTableName, "it reads every row; readers and writers go on")};
    }

    @Override
    public String getConfirmationMessage() {
        return "Foreign key " + tableName + "." + columnName + " -> " + referencedTableName + " (ON DELETE " + onDelete + ") in place and validated";
    }
}
