package cn.beijing.scienceedu.reporting;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
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
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.properties.HasAnnotations;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The reporting service's boundaries, checked on its main classes (plain JUnit, no Spring): feature packages
 * ({@code reporting.<feature>}) never form a cycle; {@code shared} and {@code web} depend on no feature; the HTTP API
 * is served only through the interfaces generated from {@code reporting-api.yaml}, each of them implemented; no
 * contract type is declared again by hand.
 */
class BoundariesTest {

    static final String BASE = "cn.beijing.scienceedu.reporting";
    /** The generated server interfaces of this service's API. */
    static final String API = "cn.beijing.scienceedu.contracts.reporting.api";
    /** Where contract types live: generated models, events and the catalogue. */
    static final String[] CONTRACT_TYPES = {"cn.beijing.scienceedu.contracts..model..",
            "cn.beijing.scienceedu.contracts.events..", "cn.beijing.scienceedu.contracts.catalogue.."};

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(BASE);

    /** Main and test classes: what reaches a feature's public types. */
    static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(BASE);

    static final JavaClasses CONTRACTS = new ClassFileImporter().importPackages("cn.beijing.scienceedu.contracts");

    @Test
    void featurePackagesFormNoCycle() {
        slices().matching(BASE + ".(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .check(MAIN);
    }

    @Test
    void sharedDependsOnNoOtherPackageOfTheService() {
        noClasses().that().resideInAPackage(BASE + ".shared..")
                .should().dependOnClassesThat(resideInAPackage(BASE + "..").and(not(resideInAPackage(BASE + ".shared.."))))
                .because("shared holds what features and the web edge have in common and must not lead back into a feature")
                .check(MAIN);
    }

    @Test
    void webDependsOnNoFeature() {
        noClasses().that().resideInAPackage(BASE + ".web..")
                .should().dependOnClassesThat(resideInAPackage(BASE + "..")
                        .and(not(resideInAnyPackage(BASE + ".web..", BASE + ".shared.."))))
                .because("every feature uses the web edge (Caller, problem details, error pages); it uses none")
                .check(MAIN);
    }

    @Test
    void aFeaturesInternalsAreNotPublic() {
        classes().that().resideInAPackage(BASE + ".*..").and().arePublic().and().areTopLevelClasses()
                .and().haveSimpleNameNotEndingWith("Test")
                .should(new ArchCondition<JavaClass>("be used from another package (else it is internal: not public)") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        boolean reached = c.getDirectDependenciesToSelf().stream()
                                .anyMatch(d -> !d.getOriginClass().getPackageName().equals(c.getPackageName()));
                        if (!reached) {
                            events.add(SimpleConditionEvent.violated(c, c.getName()
                                    + " is public but used only in its own package"));
                        }
                    }
                })
                .because("a feature's internals are reached from nowhere else: the compiler keeps them so")
                .check(ALL);
    }

    @Test
    void apiControllersImplementGeneratedInterfacesAndDeclareNoMappingOfTheirOwn() {
        classes().that().areAnnotatedWith(RestController.class).and().implement(generatedApi())
                .should(declareNoRequestMapping())
                .because("what a controller of the API serves is what reporting-api.yaml says: the mappings come from the"
                        + " generated interface")
                .check(MAIN);
    }

    @Test
    void noHandWrittenMappingUnderTheApi() {
        classes().that().areAnnotatedWith(RestController.class).or().areAnnotatedWith(Controller.class)
                .should(declareNoMappingUnder("/api"))
                .because("every /api path is in reporting-api.yaml: served by implementing its generated interface")
                .check(MAIN);
    }

    @Test
    void everyGeneratedInterfaceIsImplementedByAController() {
        Set<String> generated = CONTRACTS.stream().filter(c -> c.getPackageName().equals(API) && c.isInterface())
                .map(JavaClass::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> implemented = MAIN.stream().filter(c -> c.isAnnotatedWith(RestController.class))
                .flatMap(c -> c.getAllRawInterfaces().stream()).map(JavaClass::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        org.assertj.core.api.Assertions.assertThat(generated).as("generated interfaces of " + API).isNotEmpty();
        org.assertj.core.api.Assertions.assertThat(implemented).as("interfaces implemented by the controllers")
                .containsAll(generated);
    }

    @Test
    void noHandWrittenCopyOfAContractType() {
        List<JavaClass> contractTypes = CONTRACTS.stream()
                .filter(resideInAnyPackage(CONTRACT_TYPES)::test)
                .filter(c -> !c.isAnonymousClass() && !c.getSimpleName().isEmpty())
                .toList();
        Map<String, List<JavaClass>> byName = contractTypes.stream().filter(c -> c.getEnclosingClass().isEmpty())
                .collect(Collectors.groupingBy(JavaClass::getSimpleName));
        classes().that().resideInAPackage(BASE + "..")
                .should(new ArchCondition<JavaClass>("not copy a contract type (its fields, or its name and most fields)") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        Set<String> fields = fieldNames(c);
                        if (c.isAnonymousClass() || fields.size() < 3) {
                            return;
                        }
                        for (JavaClass t : contractTypes) {
                            Set<String> theirs = fieldNames(t);
                            if (fields.equals(theirs)) {
                                events.add(SimpleConditionEvent.violated(c, c.getName() + " declares the fields of the"
                                        + " contract type " + t.getName() + " " + fields));
                            }
                        }
                        for (JavaClass t : byName.getOrDefault(c.getSimpleName(), List.of())) {
                            Set<String> common = new TreeSet<>(fields);
                            common.retainAll(fieldNames(t));
                            if (common.size() >= 3 && !fields.equals(fieldNames(t))) {
                                events.add(SimpleConditionEvent.violated(c, c.getName() + " is named like the contract"
                                        + " type " + t.getName() + " and declares its fields " + common));
                            }
                        }
                    }
                })
                .check(MAIN);
    }

    private static Set<String> fieldNames(JavaClass c) {
        return c.getFields().stream().filter(f -> !f.getModifiers().contains(JavaModifier.STATIC))
                .map(JavaField::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    private static DescribedPredicate<JavaClass> generatedApi() {
        return DescribedPredicate.describe("an interface generated in " + API,
                c -> c.getPackageName().equals(API));
    }

    private static final List<Class<? extends java.lang.annotation.Annotation>> MAPPINGS = List.of(RequestMapping.class,
            GetMapping.class, PostMapping.class, PutMapping.class, PatchMapping.class, DeleteMapping.class);

    private static ArchCondition<JavaClass> declareNoRequestMapping() {
        return new ArchCondition<>("declare no request mapping of its own") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                mapped(c).forEach(where -> events.add(SimpleConditionEvent.violated(c,
                        c.getName() + " declares a request mapping on " + where)));
            }
        };
    }

    private static ArchCondition<JavaClass> declareNoMappingUnder(String prefix) {
        return new ArchCondition<>("declare no request mapping under " + prefix) {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                Stream.<HasAnnotations<?>>concat(Stream.of(c), c.getMethods().stream()).forEach(member -> {
                    for (Class<? extends java.lang.annotation.Annotation> a : MAPPINGS) {
                        if (!member.isAnnotatedWith(a)) {
                            continue;
                        }
                        java.lang.annotation.Annotation m = member.getAnnotationOfType(a);
                        for (String path : paths(m)) {
                            if (path.startsWith(prefix)) {
                                events.add(SimpleConditionEvent.violated(c, c.getName() + " maps " + path + " by hand"));
                            }
                        }
                    }
                });
            }
        };
    }

    private static Stream<String> mapped(JavaClass c) {
        return Stream.<HasAnnotations<?>>concat(Stream.of(c), c.getMethods().stream())
                .filter(m -> MAPPINGS.stream().anyMatch(m::isAnnotatedWith))
                .map(m -> m instanceof JavaMember k ? k.getFullName() : "the class");
    }

    private static List<String> paths(java.lang.annotation.Annotation a) {
        try {
            String[] value = (String[]) a.annotationType().getMethod("value").invoke(a);
            String[] path = (String[]) a.annotationType().getMethod("path").invoke(a);
            return Stream.concat(Arrays.stream(value), Arrays.stream(path)).toList();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
