package com.example.schemas;

/** Spring Boot 4: see SpringBootServiceCheck. */
class SpringBoot4ServiceIT extends SpringBootServiceCheck {

    SpringBoot4ServiceIT() {
        super("boot-4");
    }
}
