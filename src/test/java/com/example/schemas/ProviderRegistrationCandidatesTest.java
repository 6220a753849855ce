package com.example.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the candidates table promises, revision by revision: its checks, its trigger, optimistic locking. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProviderRegistrationCandidatesTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("provider-registration");

    private static final String CANDIDATES = "provider_registration.candidates";
    private static final String LONG_AGO = "2000-01-01 00:00:00";

    @Test
    @Order(1)
    void initialSchemaRejectsBadCandidatesAndKeepsUpdatedAtCurrent() {
        db.updateToTag("000_initial_schema");
        db.execute("INSERT INTO " + CANDIDATES + " (company_name, contact_email, truck_count, capacity_tons_per_day, products,"
                + " created_at, updated_at) VALUES ('Gulf Haulage', 'ops@gulf.example', 4, 120, '[\"cement\"]', '" + LONG_AGO
                + "', '" + LONG_AGO + "')");

        db.assertRejected("truck_count = 0", "INSERT INTO " + CANDIDATES
                + " (company_name, contact_email, truck_count, capacity_tons_per_day) VALUES ('A', 'a@x.example', 0, 10)");
        db.assertRejected("capacity_tons_per_day = 0", "INSERT INTO " + CANDIDATES
                + " (company_name, contact_email, truck_count, capacity_tons_per_day) VALUES ('A', 'a@x.example', 1, 0)");
        db.assertRejected("status = 'archived'", "INSERT INTO " + CANDIDATES
                + " (company_name, contact_email, truck_count, capacity_tons_per_day, status) VALUES ('A', 'a@x.example', 1, 1, 'archived')");
        db.assertRejected("a second candidate with the same contact_email", "INSERT INTO " + CANDIDATES
                + " (company_name, contact_email, truck_count, capacity_tons_per_day) VALUES ('B', 'ops@gulf.example', 1, 1)");
        assertEquals(List.of(List.of("pending", "true", "1")), db.query("SELECT status, (id IS NOT NULL)::text,"
                + " count(*) OVER () FROM " + CANDIDATES), "the database generates the id; status starts as pending");

        db.execute("UPDATE " + CANDIDATES + " SET location = 'Shuaiba'");
        assertEquals(List.of(List.of("true", "false")), db.query("SELECT (updated_at > '" + LONG_AGO + "')::text, (created_at > '"
                + LONG_AGO + "')::text FROM " + CANDIDATES), "an update moves updated_at, not created_at");
    }

    @Test
    @Order(2)
    void fromVersionColumnOnEveryUpdateBumpsVersionAndOnlyTheFirstOfTwoWritersWins() {
        db.updateToTag("001_add_version_column");
        assertEquals(List.of(List.of("1")), db.query("SELECT version FROM " + CANDIDATES), "existing rows start at version 1");
        db.execute("UPDATE " + CANDIDATES + " SET updated_at = '" + LONG_AGO + "'");
        assertEquals(List.of(List.of("2", "true")), db.query("SELECT version, (updated_at > '" + LONG_AGO + "')::text FROM " + CANDIDATES),
                "any update bumps version and updated_at, even one that sets updated_at itself");

        String approveAtVersion2 = "WITH approved AS (UPDATE " + CANDIDATES + " SET status = 'approved', provider_id = 7"
                + " WHERE contact_email = 'ops@gulf.example' AND version = 2 RETURNING 1) SELECT count(*) FROM approved";
        assertEquals(List.of(List.of("1")), db.query(approveAtVersion2), "user A, holding version 2, updates the row");
        assertEquals(List.of(List.of("0")), db.query(approveAtVersion2), "user B, holding version 2 too, matches no row");
        assertEquals(List.of(List.of("approved", "3")), db.query("SELECT status, version FROM " + CANDIDATES));
    }

    @Test
    @Order(3)
    void rejectionReasonIsOptionalAndKept() {
        db.update();
        assertEquals(List.of(List.of("-")), db.query("SELECT coalesce(rejection_reason, '-') FROM " + CANDIDATES));
        db.execute("UPDATE " + CANDIDATES + " SET status = 'rejected', rejection_reason = 'Insufficient truck capacity'");
        assertEquals(List.of(List.of("rejected", "Insufficient truck capacity", "4")),
                db.query("SELECT status, rejection_reason, version FROM " + CANDIDATES));
    }

    @Test
    @Order(4)
    void rollingBackVersionColumnRestoresTheTriggerThatOnlyTouchesUpdatedAt() {
        db.rollbackToTag("000_initial_schema");
        assertEquals(List.of(), db.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'provider_registration'"
                + " AND column_name IN ('version', 'rejection_reason')"));

        db.execute("UPDATE " + CANDIDATES + " SET updated_at = '" + LONG_AGO + "', location = 'Mina Abdullah'");
        assertEquals(List.of(List.of("true", "Mina Abdullah", "rejected")),
                db.query("SELECT (updated_at > '" + LONG_AGO + "')::text, location, status FROM " + CANDIDATES));
    }
}
