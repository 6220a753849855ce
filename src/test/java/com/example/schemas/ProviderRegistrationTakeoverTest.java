package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Provider Registration databases that the service's own Alembic files built: the seed names neither the update
 * trigger nor its function, and these chose other names than the changelog (update_candidates_updated_at calling
 * update_updated_at_column(), and at 001 a function of its own that also moves version on). Taken over and moved
 * through 001 in either direction, the candidates table keeps exactly one update trigger, and optimistic locking
 * works exactly as on a database built from empty.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProviderRegistrationTakeoverTest {

    @RegisterExtension
    static final TestDatabase atInitialSchema = TestDatabase.forSystemInPublic("provider-registration");
    @RegisterExtension
    static final TestDatabase midway = TestDatabase.forSystemInPublic("provider-registration");
    @RegisterExtension
    static final TestDatabase atHead = TestDatabase.forSystemInPublic("provider-registration");
    @RegisterExtension
    static final TestDatabase fromEmpty = TestDatabase.forSystemInPublic("provider-registration");
    @RegisterExtension
    static final TestDatabase ownCheckFunction = TestDatabase.forSystemInPublic("provider-registration");

    /** What the service's Alembic 000_initial_schema left, with its own names for what the seed leaves unnamed. */
    private static final String ALEMBIC_000 = AlembicBuilt.CANDIDATES_AT_000 + """
            CREATE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.updated_at = now() AT TIME ZONE 'utc';
              RETURN NEW;
            END $$;
            CREATE TRIGGER update_candidates_updated_at BEFORE UPDATE ON candidates
              FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
            INSERT INTO alembic_version VALUES ('000_initial_schema');
            INSERT INTO candidates (company_name, contact_email, truck_count, capacity_tons_per_day, updated_at)
              VALUES ('Gulf Haulage', 'ops@gulf.example', 4, 120, '2025-01-15 08:00');
            """;

    /** Its 001_add_version_column, again with a trigger and function name of its own. */
    private static final String ALEMBIC_001 = """
            ALTER TABLE candidates ADD COLUMN version INTEGER DEFAULT 1 NOT NULL;
            CREATE INDEX idx_candidates_id_version ON candidates (id, version);
            DROP TRIGGER update_candidates_updated_at ON candidates;
            CREATE FUNCTION candidates_touch_and_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.updated_at = now() AT TIME ZONE 'utc';
              NEW.version = OLD.version + 1;
              RETURN NEW;
            END $$;
            CREATE TRIGGER candidates_version_trigger BEFORE UPDATE ON candidates
              FOR EACH ROW EXECUTE FUNCTION candidates_touch_and_bump_version();
            UPDATE alembic_version SET version_num = '001_add_version_column';
            """;
    private static final String ALEMBIC_002 = """
            ALTER TABLE candidates ADD COLUMN rejection_reason TEXT;
            UPDATE alembic_version SET version_num = '002_add_rejection_reason';
            """;

    private static final String UPDATE_TRIGGERS = """
            SELECT t.tgname || ' -> ' || t.tgfoid::regproc FROM pg_trigger t
             WHERE t.tgrelid = 'candidates'::regclass AND NOT t.tgisinternal ORDER BY 1
            """;
    private static final List<String> OURS = List.of("trg_candidates_before_update -> candidates_before_update");

    @BeforeAll
    static void buildTheDatabases() {
        fromEmpty.update();
        atInitialSchema.execute(ALEMBIC_000);
        midway.execute(ALEMBIC_000 + ALEMBIC_001);
        atHead.execute(ALEMBIC_000 + ALEMBIC_001 + ALEMBIC_002);
    }

    @Test
    @Order(1)
    void takenOverAtTheInitialSchemaTheUpdateLeavesOneTriggerThatMovesVersionAndTheSchemaOfADatabaseBuiltFromEmpty() {
        atInitialSchema.update();

        List<String> drift = reportedDrift().stream().sorted().toList();
        assertEquals(2, drift.size(), "their trigger and function, and nothing else, are drift:\n" + String.join("\n", drift));
        assertTrue(drift.get(1).startsWith("trigger candidates.trg_candidates_before_update (BEFORE UPDATE FOR EACH ROW EXECUTE FUNCTION"
                + " candidates_before_update()) is candidates.update_candidates_updated_at here (BEFORE UPDATE FOR EACH ROW EXECUTE"
                + " FUNCTION update_updated_at_column())"), drift.get(1));
        assertTrue(drift.get(0).matches("function candidates_before_update\\(\\) \\(body \\w+\\) is update_updated_at_column\\(\\) here \\(body \\w+\\)"),
                drift.get(0));
        assertEquals(List.of("MARK_RAN", "EXECUTED", "EXECUTED"), exectypes(atInitialSchema));
        assertEquals(OURS, column(atInitialSchema.query(UPDATE_TRIGGERS)), "their trigger was replaced, not joined");
        assertEquals(List.of(), atInitialSchema.query("SELECT FROM pg_proc WHERE proname = 'update_updated_at_column'"),
                "their function went with the trigger, since nothing else used it");
        assertOptimisticLockingWorks(atInitialSchema);
        assertEquals(List.of(List.of("002_add_rejection_reason")), atInitialSchema.query("SELECT version_num FROM alembic_version"));
        TestDatabase.assertSameSchema(fromEmpty.snapshot(), withoutAlembicVersion(atInitialSchema), "taken over at 000 vs. built from empty");
    }

    @Test
    @Order(2)
    void rolledBackBelowTheVersionColumnUpdatesStillStampUpdatedAtAndForwardAgainLockingWorks() {
        atInitialSchema.rollbackToTag("000_initial_schema");
        assertEquals(OURS, column(atInitialSchema.query(UPDATE_TRIGGERS)));
        assertUpdateStampsUpdatedAt(atInitialSchema);
        assertEquals(List.of(List.of("000_initial_schema")), atInitialSchema.query("SELECT version_num FROM alembic_version"));

        atInitialSchema.update();
        assertOptimisticLockingWorks(atInitialSchema);
        TestDatabase.assertSameSchema(fromEmpty.snapshot(), withoutAlembicVersion(atInitialSchema), "down to 000 and up again");
    }

    @Test
    @Order(3)
    void takenOverAtHeadAndRolledBackBelowTheVersionColumnTheirVersionTriggerGoesWithIt() {
        atHead.update();
        assertEquals(List.of("MARK_RAN", "MARK_RAN", "MARK_RAN"), exectypes(atHead));
        assertOptimisticLockingWorks(atHead);

        atHead.rollbackToTag("000_initial_schema");
        assertEquals(OURS, column(atHead.query(UPDATE_TRIGGERS)), "the trigger that moved version is gone with the column");
        assertUpdateStampsUpdatedAt(atHead);

        atHead.update();
        assertEquals(OURS, column(atHead.query(UPDATE_TRIGGERS)));
        assertOptimisticLockingWorks(atHead);
    }

    @Test
    @Order(4)
    void takenOverMidwayTheirVersionTriggerIsKeptAndRollingBackAndForthKeepsLockingAndAlembicInStep() {
        midway.update();
        assertEquals(List.of("MARK_RAN", "MARK_RAN", "EXECUTED"), exectypes(midway));
        assertEquals(List.of("candidates_version_trigger -> candidates_touch_and_bump_version"), column(midway.query(UPDATE_TRIGGERS)),
                "what Alembic built and the guide leaves unnamed stays as it is");
        assertOptimisticLockingWorks(midway);
        assertEquals(List.of(List.of("002_add_rejection_reason")), midway.query("SELECT version_num FROM alembic_version"));

        midway.rollbackToTag("000_initial_schema");
        assertEquals(OURS, column(midway.query(UPDATE_TRIGGERS)), "their version trigger goes with the column, ours stamps updated_at");
        assertUpdateStampsUpdatedAt(midway);
        assertEquals(List.of(List.of("000_initial_schema")), midway.query("SELECT version_num FROM alembic_version"));

        midway.update();
        assertOptimisticLockingWorks(midway);
        assertEquals(List.of(List.of("002_add_rejection_reason")), midway.query("SELECT version_num FROM alembic_version"));
        assertEquals(List.of(List.of("Gulf Haulage", "4")), midway.query("SELECT company_name, truck_count FROM candidates"), "its row is intact");
    }

    /** The take-over runs nothing the database defines: a check that calls a function of its own is not evaluated. */
    @Test
    @Order(5)
    void aCheckThatCallsAFunctionOfTheDatabasesOwnIsNotRunAndTheTakeOverIsRefused() {
        ownCheckFunction.execute(ALEMBIC_000 + """
                ALTER TABLE candidates DROP CONSTRAINT ck_candidates_truck_count_positive;
                CREATE TABLE calls (who text);
                CREATE FUNCTION positive(n integer) RETURNS boolean LANGUAGE plpgsql AS $$
                BEGIN
                  INSERT INTO calls VALUES (current_user);
                  RETURN n > 0;
                END $$;
                ALTER TABLE candidates ADD CONSTRAINT ck_candidates_truck_count_positive CHECK (positive(truck_count));
                TRUNCATE calls;
                """);

        IllegalStateException refusal = assertThrows(IllegalStateException.class, ownCheckFunction::update);

        assertTrue(refusal.getMessage().contains("column candidates.truck_count's check ck_candidates_truck_count_positive calls a function"
                + " or operator of this database's own, which the take-over does not run"), refusal.getMessage());
        assertEquals(List.of(List.of("0")), ownCheckFunction.query("SELECT count(*) FROM calls"), "the function never ran");
    }

    private static List<String> reportedDrift() {
        try {
            return Files.readAllLines(TestDatabase.OUTPUT.resolve("takeover/provider-registration-drift.txt")).stream()
                    .filter(line -> !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Two writers read the same version; the first one's UPDATE matches and moves it on, the second one's does not. */
    private static void assertOptimisticLockingWorks(TestDatabase db) {
        String version = db.query("SELECT version FROM candidates WHERE company_name = 'Gulf Haulage'").get(0).get(0);
        String write = "UPDATE candidates SET status = 'approved' WHERE company_name = 'Gulf Haulage' AND version = " + version
                + " RETURNING version";
        assertEquals(List.of(List.of(String.valueOf(Integer.parseInt(version) + 1))), db.query(write), "the first writer wins");
        assertEquals(List.of(), db.query(write), "the second writer, holding the same version, matches nothing");
        db.execute("UPDATE candidates SET status = 'pending' WHERE company_name = 'Gulf Haulage'");
    }

    private static void assertUpdateStampsUpdatedAt(TestDatabase db) {
        db.execute("UPDATE candidates SET updated_at = '2025-01-15 08:00' WHERE company_name = 'Gulf Haulage'");
        assertEquals(List.of(List.of("true")), db.query(
                "UPDATE candidates SET location = 'Shuwaikh' WHERE company_name = 'Gulf Haulage' RETURNING (updated_at > '2025-01-15 08:00')::text"));
    }

    private static List<String> exectypes(TestDatabase db) {
        return column(db.query("SELECT exectype FROM databasechangelog ORDER BY orderexecuted"));
    }

    private static List<String> column(List<List<String>> rows) {
        return rows.stream().map(row -> row.get(0)).toList();
    }

    private static java.util.SortedSet<String> withoutAlembicVersion(TestDatabase db) {
        return db.snapshot().stream().filter(line -> !line.contains("alembic_version"))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }
}
