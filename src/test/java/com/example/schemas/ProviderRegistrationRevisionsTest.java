package com.example.schemas;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestFactory;

/** The Provider Registration Service's three revisions, each up, down to exactly the schema before, and up again. */
class ProviderRegistrationRevisionsTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.forSystem("provider-registration");

    private static final Revision.Schema S = new Revision.Schema("provider_registration");
    private static final String TIMESTAMP_UTC = "timestamp without time zone not null default (now() AT TIME ZONE 'utc'::text)";

    private static final List<Revision> HISTORY = List.of(
            new Revision("000_initial_schema", List.of(
                    "schema provider_registration",
                    S.table("candidates"),
                    S.column("candidates.id", "uuid not null default gen_random_uuid()"),
                    S.column("candidates.company_name", "character varying(255) not null"),
                    S.column("candidates.contact_email", "character varying(255) not null"),
                    S.column("candidates.phone", "character varying(50) null"),
                    S.column("candidates.products", "jsonb null"),
                    S.column("candidates.truck_count", "integer not null"),
                    S.column("candidates.capacity_tons_per_day", "integer not null"),
                    S.column("candidates.location", "character varying(255) null"),
                    S.column("candidates.status", "character varying(20) not null default 'pending'::character varying"),
                    S.column("candidates.created_at", TIMESTAMP_UTC),
                    S.column("candidates.updated_at", TIMESTAMP_UTC),
                    S.column("candidates.provider_id", "integer null"),
                    S.constraint("candidates.candidates_pkey", "PRIMARY KEY (id)"),
                    S.constraint("candidates.uq_candidates_contact_email", "UNIQUE (contact_email)"),
                    S.constraint("candidates.ck_candidates_truck_count_positive", "CHECK ((truck_count > 0))"),
                    S.constraint("candidates.ck_candidates_capacity_positive", "CHECK ((capacity_tons_per_day > 0))"),
                    S.constraint("candidates.ck_candidates_status", "CHECK (((status)::text = ANY ((ARRAY['pending'::character varying,"
                            + " 'approved'::character varying, 'rejected'::character varying])::text[])))"),
                    S.index("idx_candidates_status",
                            "CREATE INDEX idx_candidates_status ON provider_registration.candidates USING btree (status)"),
                    S.index("idx_candidates_created_at",
                            "CREATE INDEX idx_candidates_created_at ON provider_registration.candidates USING btree (created_at)"),
                    S.index("idx_candidates_products",
                            "CREATE INDEX idx_candidates_products ON provider_registration.candidates USING gin (products)"),
                    S.trigger("candidates.trg_candidates_before_update", "CREATE TRIGGER trg_candidates_before_update"
                            + " BEFORE UPDATE ON provider_registration.candidates FOR EACH ROW"
                            + " EXECUTE FUNCTION provider_registration.candidates_before_update()")),
                    List.of()),
            new Revision("001_add_version_column", List.of(
                    S.column("candidates.version", "integer not null default 1"),
                    S.index("idx_candidates_id_version",
                            "CREATE INDEX idx_candidates_id_version ON provider_registration.candidates USING btree (id, version)")),
                    List.of()),
            new Revision("002_add_rejection_reason", List.of(S.column("candidates.rejection_reason", "text null")), List.of()));

    @TestFactory
    Stream<DynamicTest> eachRevisionAppliesAsTheSeedSaysAndRollsBackToExactlyThePreviousSchema() {
        return Revision.walk(db, HISTORY);
    }
}
