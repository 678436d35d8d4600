package cn.beijing.scienceedu.adapters;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.properties.HasAnnotations;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The boundaries of bureau-adapters as rules over its compiled main classes (ArchUnit, no Spring): the feature packages
 * under {@code cn.beijing.scienceedu.adapters} form no cycle; an HTTP controller is the generated contract interface it
 * implements (bureau-api.yaml, operations-api.yaml) and maps nothing of its own — only the SOAP endpoint, whose
 * contract is the WSDL and generates no interface, and Boot's error endpoint map by hand; and nothing in the adapters
 * is a hand-written copy of a type {@code contracts} generates.
 */
class BoundariesTest {

    static final String BASE = "cn.beijing.scienceedu.adapters";
    /** The packages of the generated server interfaces (bureau-api.yaml, operations-api.yaml). */
    static final List<String> GENERATED_APIS = List.of("cn.beijing.scienceedu.contracts.bureau.api",
            "cn.beijing.scienceedu.contracts.operations.api");
    /**
     * Generated in {@code contracts.bureau.api} but served by the bureaus, not by the hub: what a REST bureau implements
     * ({@code POST {endpoint}/tasks}, its status API); the hub calls it.
     */
    static final Set<String> SERVED_BY_THE_BUREAUS = Set.of("cn.beijing.scienceedu.contracts.bureau.api.BureauSystemApi");
    /** The SOAP endpoint of soap/bureau-exchange.wsdl: nothing is generated from the WSDL, so it is mapped by hand. */
    static final String SOAP_PATHS = "/soap/";
    /** Where the generated contract types live (API models of every contract, server and client side). */
    static final String CONTRACT_MODELS = "cn.beijing.scienceedu.contracts..model..";

    static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(BASE);

    static final JavaClasses CONTRACTS = new ClassFileImporter().importPackages("cn.beijing.scienceedu.contracts");

    /** Each package directly under {@code adapters} is a feature; together they form no cycle. */
    static final ArchRule NO_CYCLES = slices().matching(BASE + ".(*)..").namingSlices("$1").should().beFreeOfCycles();

    static final DescribedPredicate<JavaClass> ERROR_ENDPOINT = DescribedPredicate.describe("Boot's ErrorController",
            c -> c.isAssignableTo(ErrorController.class));

    static final DescribedPredicate<JavaClass> IMPLEMENTS_A_GENERATED_API = DescribedPredicate.describe(
            "implement a generated interface of " + GENERATED_APIS,
            c -> c.getAllRawInterfaces().stream().anyMatch(i -> GENERATED_APIS.contains(i.getPackageName())));

    /** Where a generated interface exists, the controller implements it and adds no endpoint of its own. */
    static final ArchRule API_CONTROLLERS_ARE_THEIR_GENERATED_INTERFACES = classes().that()
            .areAnnotatedWith(RestController.class).or().areAnnotatedWith(Controller.class)
            .and(DescribedPredicate.not(ERROR_ENDPOINT)).and(DescribedPredicate.not(IMPLEMENTS_A_GENERATED_API))
            .should(mapOnlyUnder(SOAP_PATHS))
            .because("every HTTP path of the adapters but the SOAP endpoint is in bureau-api.yaml or operations-api.yaml:"
                    + " served by implementing the interface generated from it");

    static final ArchRule GENERATED_INTERFACES_ARE_NOT_EXTENDED = classes().that(IMPLEMENTS_A_GENERATED_API)
            .should(declareNoMappingOfTheirOwn())
            .because("what such a controller serves is what its contract says: the mappings come from the generated"
                    + " interface");

    @Test
    void featurePackagesFormNoCycle() {
        // the rule sees every feature package (a rename would otherwise leave it checking nothing)
        Set<String> features = MAIN.stream().map(JavaClass::getPackageName).filter(p -> p.startsWith(BASE + "."))
                .map(p -> p.substring(BASE.length() + 1).split("\\.")[0]).collect(Collectors.toCollection(TreeSet::new));
        assertThat(features).contains("dispatch", "inbound", "mapping", "messagelog", "outbound", "registry", "ssrf",
                "operations", "observability");
        NO_CYCLES.check(MAIN);
    }

    @Test
    void aControllerWithoutAGeneratedInterfaceServesOnlyTheSoapEndpoint() {
        API_CONTROLLERS_ARE_THEIR_GENERATED_INTERFACES.check(MAIN);
    }

    @Test
    void aControllerOfAGeneratedInterfaceAddsNoEndpointOfItsOwn() {
        assertThat(MAIN.stream().filter(c -> c.isAnnotatedWith(RestController.class)).filter(IMPLEMENTS_A_GENERATED_API)
                .count()).as("controllers implementing a generated interface").isGreaterThanOrEqualTo(2);
        GENERATED_INTERFACES_ARE_NOT_EXTENDED.check(MAIN);
    }

    @Test
    void everyGeneratedInterfaceTheHubServesIsImplemented() {
        Set<String> generated = CONTRACTS.stream()
                .filter(c -> GENERATED_APIS.contains(c.getPackageName()) && c.isInterface())
                .map(JavaClass::getName).filter(n -> !SERVED_BY_THE_BUREAUS.contains(n))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> implemented = MAIN.stream().filter(c -> c.isAnnotatedWith(RestController.class))
                .flatMap(c -> c.getAllRawInterfaces().stream()).map(JavaClass::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(generated).as("generated interfaces of " + GENERATED_APIS)
                .contains("cn.beijing.scienceedu.contracts.bureau.api.BureauInboundApi",
                        "cn.beijing.scienceedu.contracts.operations.api.OperationsApi");
        assertThat(implemented).as("interfaces implemented by the controllers").containsAll(generated);
    }

    /**
     * A class of the adapters (top-level or nested) named like a generated contract type is a hand-written copy of it:
     * use the generated type (bureau-api's, operations-api's, the task-service client's …) instead.
     */
    @Test
    void noHandWrittenCopyOfAContractType() {
        List<JavaClass> contractTypes = CONTRACTS.stream().filter(resideInAPackage(CONTRACT_MODELS)::test)
                .filter(c -> !c.isAnonymousClass() && !c.getSimpleName().isEmpty()).toList();
        Map<String, List<JavaClass>> byName = contractTypes.stream().collect(Collectors.groupingBy(JavaClass::getSimpleName));
        assertThat(byName).as("generated contract types found (" + CONTRACT_MODELS + ")")
                .containsKeys("BureauTaskMessage", "SignFor", "ProgressReport", "Submission", "ExtensionRequest",
                        "KpiValue", "Evidence", "Receipt", "ParkedDelivery", "ParkedAnswer", "MessageLogRecord");
        List<String> copies = new ArrayList<>();
        for (JavaClass c : MAIN) {
            if (c.isAnonymousClass() || c.getSimpleName().isEmpty()) {
                continue;
            }
            byName.getOrDefault(c.getSimpleName(), List.of()).forEach(t -> copies.add(c.getName()
                    + " is named like the contract type " + t.getName()));
        }
        assertThat(copies).as("hand-written copies of generated contract types").isEmpty();
    }

    private static final List<Class<? extends Annotation>> MAPPINGS = List.of(RequestMapping.class, GetMapping.class,
            PostMapping.class, PutMapping.class, DeleteMapping.class, PatchMapping.class);

    /** Every endpoint comes from the interface: the class adds no mapping of its own. */
    private static ArchCondition<JavaClass> declareNoMappingOfTheirOwn() {
        return new ArchCondition<>("declare no request mapping of their own") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                annotated(c).forEach(m -> MAPPINGS.stream().filter(m::isAnnotatedWith).forEach(a -> events.add(
                        SimpleConditionEvent.violated(c, where(c, m) + " maps an endpoint of its own (@"
                                + a.getSimpleName() + ")"))));
            }
        };
    }

    /** A controller without a generated interface maps only paths under {@code prefix} (class prefix included). */
    private static ArchCondition<JavaClass> mapOnlyUnder(String prefix) {
        return new ArchCondition<>("map only paths under " + prefix) {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                List<String> prefixes = mappedPaths(c);
                c.getMethods().forEach(m -> {
                    List<String> own = mappedPaths(m);
                    if (!MAPPINGS.stream().anyMatch(m::isAnnotatedWith)) {
                        return;
                    }
                    for (String p : prefixes.isEmpty() ? List.of("") : prefixes) {
                        for (String q : own.isEmpty() ? List.of("") : own) {
                            String path = p + q;
                            if (!path.startsWith(prefix)) {
                                events.add(SimpleConditionEvent.violated(m, m.getFullName() + " maps \"" + path
                                        + "\" by hand and implements no generated interface of " + GENERATED_APIS));
                            }
                        }
                    }
                });
            }
        };
    }

    private static List<String> mappedPaths(HasAnnotations<?> m) {
        return MAPPINGS.stream().filter(m::isAnnotatedWith).flatMap(a -> paths(m.getAnnotationOfType(a)).stream()).toList();
    }

    private static Stream<HasAnnotations<?>> annotated(JavaClass c) {
        return Stream.<HasAnnotations<?>>concat(Stream.of(c), c.getMethods().stream());
    }

    private static String where(JavaClass c, HasAnnotations<?> m) {
        return m instanceof JavaMember k ? k.getFullName() : c.getName();
    }

    private static List<String> paths(Annotation a) {
        try {
            String[] value = (String[]) a.annotationType().getMethod("value").invoke(a);
            String[] path = (String[]) a.annotationType().getMethod("path").invoke(a);
            return Stream.concat(Arrays.stream(value), Arrays.stream(path)).toList();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
