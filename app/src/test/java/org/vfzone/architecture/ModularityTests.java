package org.vfzone.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import com.tngtech.archunit.core.domain.JavaClass;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.vfzone.VfzoneApplication;

/**
 * The application's feature packages as Spring Modulith application modules: no cycles between them and no
 * module reaching into another's internals (the switch protocol and emulator libraries are not modules of the
 * application, only libraries it uses). The module documentation is written from the same model.
 */
class ModularityTests {

    static final ApplicationModules MODULES = ApplicationModules.of(VfzoneApplication.class,
            JavaClass.Predicates.resideInAPackage("org.vfzone.fabric.."));

    @Test
    void theModulesHaveNoCyclesAndUseOnlyEachOthersApi() {
        MODULES.verify();
    }

    /** The same verification, on a fixture where one module uses another's internal class, refuses it. */
    @Test
    void aModuleReachingIntoAnotherModulesInternalsFailsTheVerification() {
        ApplicationModules fixture = ApplicationModules.of("org.vfzone.architecture.violation", location -> true);
        assertThatThrownBy(fixture::verify).isInstanceOf(org.springframework.modulith.core.Violations.class)
                .hasMessageContaining("BetaService").hasMessageContaining("AlphaStore");
    }

    @Test
    void theArchitectureDocumentNamesEveryModule() throws Exception {
        String document = Files.readString(Path.of("..", "docs", "architecture.md"));
        for (ApplicationModule module : MODULES) {
            assertThat(document).as("docs/architecture.md describes module " + module.getIdentifier())
                    .contains(module.getBasePackage().getName().substring("org.vfzone.".length()) + "/");
        }
    }

    /** Writes the module diagrams and canvases to target/spring-modulith-docs (mvn verify). */
    @Test
    void writesTheModuleDocumentation() {
        new Documenter(MODULES).writeDocumentation();
        assertThat(Path.of("target", "spring-modulith-docs", "components.puml")).exists();
    }
}
