package com.example.schemas;

/** Spring Boot 3: see SpringBootServiceCheck. */
class SpringBoot3ServiceIT extends SpringBootServiceCheck {

    SpringBoot3ServiceIT() {
        super("boot-3");
    }
}
