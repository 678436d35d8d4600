package cn.beijing.scienceedu.task;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

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
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import cn.beijing.scienceedu.task.lifecycle.TaskChanges;
import cn.beijing.scienceedu.task.lifecycle.TaskRecord;
import cn.beijing.scienceedu.task.lifecycle.TaskStore;

/**
 * The feature boundaries of task-service as rules over its compiled main classes (ArchUnit, no Spring): the feature
 * packages under {@code cn.beijing.scienceedu.task} form no cycle; a controller is the generated contract interface
 * it implements and nothing more, and no other feature reaches it; the task's status changes only through the
 * transition table; and nothing in the service is a hand-written copy of a type {@code contracts} generates.
 */
class ArchitectureTest {

    static final String BASE = "cn.beijing.scienceedu.task";
    /** The generated server interfaces of task-api.yaml. */
    static final String GENERATED_API = "cn.beijing.scienceedu.contracts.task.api";
    /** Packages of generated contract types (API models, event payloads, the catalogue's model). */
    static final List<String> CONTRACT_TYPES = List.of("cn.beijing.scienceedu.contracts.task.model",
            "cn.beijing.scienceedu.contracts.events", "cn.beijing.scienceedu.contracts.catalogue.model");

    static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(BASE);

    static final JavaClasses CONTRACTS = new ClassFileImporter().importPackages(CONTRACT_TYPES);

    /** Each package directly under {@code task} is a feature; together they form no cycle. */
    static final ArchRule NO_CYCLES = slices().matching(BASE + ".(*)..").namingSlices("$1").should().beFreeOfCycles();

    /** The /error endpoint (platform.problem.ProblemErrorController, should a service declare its own) is not an operation of the API. */
    static final DescribedPredicate<JavaClass> ERROR_ENDPOINT = DescribedPredicate.describe("Boot's ErrorController",
            c -> c.isAssignableTo(ErrorController.class));

    static final ArchRule CONTROLLERS_IMPLEMENT_GENERATED_INTERFACES = classes().that()
            .areAnnotatedWith(RestController.class).or().areAnnotatedWith(Controller.class)
            .and(DescribedPredicate.not(ERROR_ENDPOINT))
            .should(implementAGeneratedApiInterface())
            .andShould(declareNoMappingOfTheirOwn())
            .andShould(onlyBeReachedFromTheirOwnPackage());

    /** The status changes through {@code TaskChanges.transition} (the table) only; the store reads it from a row. */
    static final ArchRule STATUS_ONLY_THROUGH_THE_TABLE = noClasses().that()
            .doNotBelongToAnyOf(TaskChanges.class, TaskStore.class, TaskRecord.class)
            .should().setField(TaskRecord.class, "status")
            .because("a task's status changes only through lifecycle.Transitions (TaskChanges.transition)");

    @Test
    void featurePackagesFormNoCycle() {
        // the rule sees every feature package (a rename would otherwise leave it checking nothing)
        Set<String> features = MAIN.stream().map(JavaClass::getPackageName).filter(p -> p.startsWith(BASE + "."))
                .map(p -> p.substring(BASE.length() + 1).split("\\.")[0]).collect(Collectors.toCollection(TreeSet::new));
        assertThat(features).contains("calendar", "deadline", "lifecycle", "progress").hasSizeGreaterThanOrEqualTo(10);
        NO_CYCLES.check(MAIN);
    }

    @Test
    void controllersAreTheGeneratedInterfacesTheyImplementAndNothingElse() {
        // the seven controllers of the API (the /error path is platform's)
        assertThat(MAIN.stream().filter(c -> c.isAnnotatedWith(RestController.class)).count())
                .as("controllers found").isGreaterThanOrEqualTo(7);
        CONTROLLERS_IMPLEMENT_GENERATED_INTERFACES.check(MAIN);
    }

    @Test
    void theStatusOfATaskChangesOnlyThroughTheTransitionTable() {
        STATUS_ONLY_THROUGH_THE_TABLE.check(MAIN);
    }

    @Test
    void noHandWrittenCopyOfAContractType() {
        Map<String, String> contractNames = new HashMap<>();
        Map<Set<String>, String> contractEnums = new HashMap<>();
        CONTRACTS.stream().filter(c -> CONTRACT_TYPES.contains(c.getPackageName())).forEach(c -> {
            contractNames.put(c.getSimpleName(), c.getName());
            if (c.isEnum()) {
                contractEnums.put(constants(c), c.getName());
            }
        });
        assertThat(contractNames).as("generated contract types found").containsKeys("Task", "TaskStatus", "TaskSnapshot",
                "Policy");
        List<String> copies = new ArrayList<>();
        for (JavaClass c : MAIN) {
            if (contractNames.containsKey(c.getSimpleName())) {
                copies.add(c.getName() + " is named like " + contractNames.get(c.getSimpleName()));
            }
            if (c.isEnum() && contractEnums.containsKey(constants(c))) {
                copies.add(c.getName() + " has the constants of " + contractEnums.get(constants(c)));
            }
        }
        assertThat(copies).as("hand-written copies of generated contract types").isEmpty();
    }

    private static Set<String> constants(JavaClass e) {
        return e.getFields().stream().filter(f -> f.getModifiers().contains(JavaModifier.ENUM))
                .map(f -> f.getName()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static ArchCondition<JavaClass> implementAGeneratedApiInterface() {
        return new ArchCondition<>("implement a generated interface of " + GENERATED_API) {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                boolean ok = c.getRawInterfaces().stream().anyMatch(i -> i.getPackageName().equals(GENERATED_API));
                events.add(new SimpleConditionEvent(c, ok, c.getName() + (ok ? " implements " : " implements no ")
                        + "interface of " + GENERATED_API));
            }
        };
    }

    /** Every endpoint comes from the interface: the class adds no mapping of its own. */
    private static ArchCondition<JavaClass> declareNoMappingOfTheirOwn() {
        List<Class<? extends java.lang.annotation.Annotation>> mappings = List.of(RequestMapping.class,
                GetMapping.class, PostMapping.class, PutMapping.class, DeleteMapping.class, PatchMapping.class);
        return new ArchCondition<>("declare no request mapping of their own") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                mappings.stream().filter(c::isAnnotatedWith).forEach(a -> events.add(SimpleConditionEvent.violated(c,
                        c.getName() + " is annotated @" + a.getSimpleName())));
                c.getMethods().forEach(m -> mappings.stream().filter(m::isAnnotatedWith).forEach(a -> events.add(
                        SimpleConditionEvent.violated(m, m.getFullName() + " maps an endpoint of its own (@"
                                + a.getSimpleName() + ")"))));
            }
        };
    }

    /** A controller is its feature's entry from outside; no other feature calls it. */
    private static ArchCondition<JavaClass> onlyBeReachedFromTheirOwnPackage() {
        return new ArchCondition<>("be reached only from their own package") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                c.getDirectDependenciesToSelf().stream()
                        .filter(d -> !d.getOriginClass().getPackageName().equals(c.getPackageName()))
                        .forEach(d -> events.add(SimpleConditionEvent.violated(d, d.getDescription())));
            }
        };
    }
}
