package com.example.schemas;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Spring Boot 3: see SpringBootServiceCheck. */
class SpringBoot3ServiceIT extends SpringBootServiceCheck {

    @RegisterExtension
    static final TestDatabase empty = TestDatabase.forSystem("pharmafleet");
    @RegisterExtension
    static final TestDatabase partway = TestDatabase.forSystem("ordering");
    @RegisterExtension
    static final TestDatabase alembic = TestDatabase.forSystem("provider-registration");
    @RegisterExtension
    static final TestDatabase unknownTag = TestDatabase.forSystem("pandac-pos");
    @RegisterExtension
    static final TestDatabase local = TestDatabase.forSystem("ordering");

    SpringBoot3ServiceIT() {
        super("boot-3", empty, partway, alembic, unknownTag, local);
    }
}
