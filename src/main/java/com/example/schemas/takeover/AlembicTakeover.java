package com.example.schemas.takeover;

import com.example.schemas.Sql;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.PreconditionFailedException;
import liquibase.exception.ValidationErrors;
import liquibase.executor.ExecutorService;
import liquibase.resource.Resource;

/**
 * The first revision's precondition ({@code alembicTakeover}): whether this database is one that Alembic (or, for a
 * system with an untracked base, the tool before it) built, and whether it may be taken over.
 * <ul>
 * <li>Nothing of the system there: it passes, and the revision runs.</li>
 * <li>Alembic's revision named by {@code alembic_version} (or the untracked base, its tables being there): the schema
 * must hold everything the migration guide states up to that revision ({@code seed.yaml}); it fails, so the first
 * revision is recorded as applied (MARK_RAN), and the later ones follow their own check. Where the schema differs
 * from what the changelog builds up to that revision ({@code catalog.txt}), only in what the guide leaves open, the
 * differences go to a report whose path the run prints.</li>
 * <li>Anything the guide states missing, or an {@code alembic_version} that names no single revision of the
 * system: an error, so the deploy stops before anything is recorded or changed, saying what is wrong.</li>
 * </ul>
 * It runs in previews too, which then show the drift as SQL comments.
 */
public final class AlembicTakeover extends NamedPrecondition {

    private String system;
    private String label;
    private String schema;
    private String alembicHistory;
    private boolean untrackedBase;
    private String reports = "target/takeover";

    public String getSystem() { return system; }
    public void setSystem(String system) { this.system = system; }
    public String getLabel() { return label; }
    public void setLabel(String label) { this.label = label; }
    public String getSchema() { return schema; }
    public void setSchema(String schema) { this.schema = schema; }
    /** Alembic's revision ids in order, as the root changelog's alembic.history has them ('a', 'b'). */
    public String getAlembicHistory() { return alembicHistory; }
    public void setAlembicHistory(String alembicHistory) { this.alembicHistory = alembicHistory; }
    /** Whether the first revision's tables may be there without alembic_version: built before Alembic was adopted. */
    public boolean getUntrackedBase() { return untrackedBase; }
    public void setUntrackedBase(boolean untrackedBase) { this.untrackedBase = untrackedBase; }
    /** The folder the drift report goes to. */
    public String getReports() { return reports; }
    public void setReports(String reports) { this.reports = reports; }

    public AlembicTakeover() {
        super("alembicTakeover", "the take-over check");
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = new ValidationErrors();
        errors.checkRequiredField("system", system);
        errors.checkRequiredField("label", label);
        errors.checkRequiredField("schema", schema);
        errors.checkRequiredField("alembicHistory", alembicHistory);
        return errors;
    }

    @Override
    public void check(Database database, DatabaseChangeLog changeLog, ChangeSet changeSet, ChangeExecListener listener)
            throws PreconditionFailedException, PreconditionErrorException {
        String outcome;
        try {
            Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
            Map<String, SortedSet<String>> built = Catalog.builtBeside(changeSet);
            String at = takeOverAt(connection, built, changeSet);
            if (at == null) {
                return;
            }
            List<String> drift = Catalog.differences(built.get(at), Catalog.read(connection, schema));
            outcome = system + " taken over at " + at + ": everything its migration guide states is there; "
                    + (drift.isEmpty() ? "no drift from what the changelog builds"
                       : drift.size() + (drift.size() == 1 ? " difference" : " differences") + " from what the changelog builds"
                         + " (drift, " + report(at, drift) + ")");
            var executor = Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database);
            executor.comment(outcome);
            for (String difference : drift) {
                executor.comment("drift: " + difference);
                Scope.getCurrentScope().getLog(AlembicTakeover.class).info("drift: " + difference);
            }
            Scope.getCurrentScope().getUI().sendMessage(outcome);
        } catch (OkOrRefuse.Refusal refusal) {
            throw OkOrRefuse.refused(refusal, database, changeLog, this);
        } catch (SQLException | IOException | DatabaseException | RuntimeException e) {
            throw new PreconditionErrorException(e, changeLog, this);
        }
        throw new PreconditionFailedException(outcome, changeLog, this);
    }

    /**
     * Refuses what {@link #check} would refuse, for {@link TakeOverCheckedFirst}: before Liquibase starts the revision,
     * where a refusal is said without the stack trace Liquibase prints for a revision that stopped.
     */
    void refuseIfItMust(Database database, DatabaseChangeLog changeLog, ChangeSet changeSet) throws PreconditionErrorException {
        try {
            takeOverAt(((JdbcConnection) database.getConnection()).getUnderlyingConnection(), Catalog.builtBeside(changeSet), changeSet);
        } catch (OkOrRefuse.Refusal refusal) {
            throw OkOrRefuse.refused(refusal, database, changeLog, this);
        } catch (SQLException | IOException | RuntimeException e) {
            throw new PreconditionErrorException(e, changeLog, this);
        }
    }

    /**
     * The revision to take the system over at, having checked there everything its migration guide states; null when
     * there is nothing of the system to take over.
     */
    private String takeOverAt(Connection connection, Map<String, SortedSet<String>> built, ChangeSet changeSet)
            throws SQLException, IOException, OkOrRefuse.Refusal {
        String at = whereItWasLeft(connection, built);
        if (at == null) {
            return null;
        }
        SeedFacts facts;
        try (Reader file = reader(Scope.getCurrentScope().getResourceAccessor().getExisting(changeSet.getChangeLog().getPhysicalFilePath())
                .resolveSibling("seed.yaml"))) {
            facts = SeedFacts.read(file);
        }
        List<String> violations = facts.violations(connection, schema, List.copyOf(built.keySet()), at);
        for (String table : untrackedTablesMissing(connection, built, at)) {
            if (violations.stream().noneMatch(line -> line.startsWith("table " + table + " is missing"))) {
                violations.add("table " + table + " is missing (the schema from before Alembic, " + at + ", is recognised by all its tables)");
            }
        }
        if (!violations.isEmpty()) {
            throw new OkOrRefuse.Refusal(system + ": schema " + schema + " lacks what its migration guide states for revision " + at
                    + ", so it cannot be taken over, and nothing was recorded or changed. Bring it to what the guide"
                    + " describes (the Alembic release's own migrations do), or correct alembic_version:\n  - "
                    + String.join("\n  - ", violations));
        }
        return at;
    }

    /** The revision the database is at, or null when there is nothing of the system to take over. */
    private String whereItWasLeft(Connection connection, Map<String, SortedSet<String>> built) throws SQLException, OkOrRefuse.Refusal {
        List<String> revisions = List.copyOf(built.keySet());
        List<String> history = Arrays.stream(alembicHistory.split(",")).map(id -> id.trim().replaceAll("^'|'$", "")).toList();
        if (exists(connection, "alembic_version")) {
            List<String> stamped = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT version_num FROM " + Sql.identifier(schema) + ".alembic_version ORDER BY version_num");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stamped.add(rows.getString(1));
                }
            }
            if (stamped.isEmpty() && untrackedBase) {
                // alembic downgrade base leaves the table empty: the database is at the schema from before Alembic.
                return baseIfItsTablesAreThere(connection, built);
            }
            if (stamped.isEmpty()) {
                throw new OkOrRefuse.Refusal(system + ": " + schema + ".alembic_version holds no row, so it does not say which revision this"
                        + " database is at; stamp it with Alembic (alembic stamp REVISION), or drop the empty table if no Alembic"
                        + " revision was ever applied");
            }
            if (stamped.size() > 1) {
                throw new OkOrRefuse.Refusal(system + ": " + schema + ".alembic_version holds " + stamped.size() + " rows (" + String.join(", ", stamped)
                        + "), that is several heads; merge them with Alembic first");
            }
            if (!history.contains(stamped.get(0)) || !revisions.contains(stamped.get(0))) {
                throw new OkOrRefuse.Refusal(system + ": " + schema + ".alembic_version names " + stamped.get(0) + ", which is not one of its"
                        + " revisions (" + String.join(", ", history) + ")");
            }
            return stamped.get(0);
        }
        return untrackedBase ? baseIfItsTablesAreThere(connection, built) : null;
    }

    /** The base revision where any of its tables is there (the check then wants them all), else null. */
    private String baseIfItsTablesAreThere(Connection connection, Map<String, SortedSet<String>> built) throws SQLException {
        String first = built.keySet().iterator().next();
        for (String line : built.get(first)) {
            if (line.startsWith("table ") && exists(connection, line.substring("table ".length()))) {
                return first;
            }
        }
        return null;
    }

    /**
     * A base built before Alembic has no alembic_version to say it is there: its tables do, all of them, or it is
     * refused, since recording it would hide a broken schema and running it would fail half way.
     */
    private List<String> untrackedTablesMissing(Connection connection, Map<String, SortedSet<String>> built, String at) throws SQLException {
        List<String> missing = new ArrayList<>();
        if (untrackedBase && at.equals(built.keySet().iterator().next()) && !alembicVersionNamesARevision(connection)) {
            for (String line : built.get(at)) {
                if (line.startsWith("table ") && !exists(connection, line.substring("table ".length()))) {
                    missing.add(line.substring("table ".length()));
                }
            }
        }
        return missing;
    }

    private boolean alembicVersionNamesARevision(Connection connection) throws SQLException {
        if (!exists(connection, "alembic_version")) {
            return false;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT EXISTS (SELECT FROM " + Sql.identifier(schema) + ".alembic_version)");
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p'))")) {
            query.setString(1, schema);
            query.setString(2, table);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private static Reader reader(Resource resource) throws IOException {
        return new InputStreamReader(resource.openInputStream(), StandardCharsets.UTF_8);
    }

    /**
     * Writes the drift report and says where it is. A service in a container may have no writable working folder:
     * the take-over is not stopped for that, and the differences are in its log.
     */
    private String report(String at, List<String> drift) {
        Path file = Path.of(reports, label + "-drift.txt").toAbsolutePath();
        List<String> lines = new ArrayList<>();
        lines.add("# " + system + " in schema " + schema + ", taken over at " + at + ": where it differs from what the changelog builds"
                + " up to that revision, in what the migration guide leaves open. Nothing here stopped the take-over.");
        lines.addAll(drift);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
            return "listed in " + file;
        } catch (IOException | RuntimeException e) {
            return "listed in the log as drift lines; " + file + " could not be written (" + e.getMessage()
                    + "): set takeover.reports to a writable folder";
        }
    }

}
