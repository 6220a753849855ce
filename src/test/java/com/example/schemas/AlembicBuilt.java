package com.example.schemas;

/** What the systems' own Alembic files created, for the tests that take such databases over. */
final class AlembicBuilt {

    private AlembicBuilt() {}

    /**
     * Provider Registration's 000_initial_schema in public, up to what the seed names: alembic_version, candidates with
     * its constraints and indexes. The update trigger, which the seed does not name, is each test's to add.
     */
    static final String CANDIDATES_AT_000 = """
            CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
            CREATE TABLE candidates (
              id UUID DEFAULT gen_random_uuid() NOT NULL, company_name VARCHAR(255) NOT NULL, contact_email VARCHAR(255) NOT NULL,
              phone VARCHAR(50), products JSONB, truck_count INTEGER NOT NULL, capacity_tons_per_day INTEGER NOT NULL,
              location VARCHAR(255), status VARCHAR(20) DEFAULT 'pending' NOT NULL,
              created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc') NOT NULL,
              updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc') NOT NULL, provider_id INTEGER,
              CONSTRAINT candidates_pkey PRIMARY KEY (id), CONSTRAINT uq_candidates_contact_email UNIQUE (contact_email),
              CONSTRAINT ck_candidates_truck_count_positive CHECK (truck_count > 0),
              CONSTRAINT ck_candidates_capacity_positive CHECK (capacity_tons_per_day > 0),
              CONSTRAINT ck_candidates_status CHECK (status IN ('pending', 'approved', 'rejected')));
            CREATE INDEX idx_candidates_status ON candidates (status);
            CREATE INDEX idx_candidates_created_at ON candidates (created_at);
            CREATE INDEX idx_candidates_products ON candidates USING gin (products);
            """;
}
