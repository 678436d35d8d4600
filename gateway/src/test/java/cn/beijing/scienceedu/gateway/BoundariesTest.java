package cn.beijing.scienceedu.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The gateway's boundaries, on its main classes (plain JUnit): its feature packages ({@code gateway.<feature>}) form
 * no cycle, and it takes from {@code platform} only what is free of the servlet stack (the token cache, claims,
 * problem URNs and JSON), never the servlet services' problem handling or resource-server set-up.
 */
class BoundariesTest {

    static final String BASE = "cn.beijing.scienceedu.gateway";

    static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(BASE);

    static final ArchRule NO_CYCLES = slices().matching(BASE + ".(*)..").namingSlices("$1").should().beFreeOfCycles();

    static final ArchRule NO_SERVLET_PLUMBING = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("jakarta.servlet..", "org.springframework.web.servlet..")
            .orShould().dependOnClassesThat().haveSimpleNameEndingWith("ProblemHandler")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("cn.beijing.scienceedu.platform.problem.ProblemAnswers")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("cn.beijing.scienceedu.platform.security.HubResourceServer")
            .because("the gateway is WebFlux: platform's servlet parts would not even load");

    @Test
    void featurePackagesFormNoCycle() {
        Set<String> features = new TreeSet<>();
        MAIN.forEach(c -> {
            String rest = c.getPackageName().substring(BASE.length());
            if (rest.startsWith(".")) {
                features.add(rest.substring(1).split("\\.")[0]);
            }
        });
        assertThat(features).contains("problem", "ratelimit", "security").hasSizeGreaterThanOrEqualTo(6);
        NO_CYCLES.check(MAIN);
    }

    @Test
    void theGatewayTakesOnlyTheWebFluxNeutralPartsOfPlatform() {
        NO_SERVLET_PLUMBING.check(MAIN);
    }
}
