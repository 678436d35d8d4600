package cn.beijing.scienceedu.doccheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The Maven check on commands as the docs wrote them before issue 25, and on their corrected forms. */
class MavenCommandTest {

    final Reactor reactor = new Reactor(DocumentedCommandsTest.REPO);

    List<String> problems(String command, Set<String> installed) {
        MavenCommand mvn = MavenCommand.parse(DocumentedCommands.segments(command).get(0));
        assertThat(mvn).isNotNull();
        return mvn.problems(reactor, installed);
    }

    @Test
    void theLongFaultRunAsDocsReliabilityMdShowedItFailsOnAFreshClone() {
        // "Could not find artifact cn.beijing.scienceedu:contracts:jar:0.1.0-SNAPSHOT"
        assertThat(problems("./mvnw -q -o -pl tools/system-tests verify -Dtest=FaultRunTest -Dreliability.size=long", Set.of()))
                .singleElement().asString().contains("without -am", "contracts", "tools/test-support", "tools/launcher");
    }

    @Test
    void withAlsoMakeItNeedsTheUpstreamModulesToRunNoTest() {
        assertThat(problems("./mvnw -q -o -pl tools/system-tests -am verify -Dtest=FaultRunTest", Set.of()))
                .singleElement().asString().contains("failIfNoSpecifiedTests");
        assertThat(problems("./mvnw -q -o -pl tools/system-tests -am verify -Dtest=FaultRunTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dreliability.size=long", Set.of())).isEmpty();
    }

    @Test
    void anInstallEarlierInTheBlockCounts() {
        Set<String> installed = new LinkedHashSet<>();
        MavenCommand install = MavenCommand.parse(DocumentedCommands.segments(
                "./mvnw -q -o -pl tools/system-tests -am -DskipTests install").get(0));
        assertThat(install.problems(reactor, installed)).isEmpty();
        installed.addAll(install.installs(reactor));
        assertThat(problems("./mvnw -q -o -pl tools/system-tests verify -Dtest=EmbeddedDefaultsSmokeTest", installed)).isEmpty();
    }

    @Test
    void unknownModulesTestsAndGoalsAreNamed() {
        assertThat(problems("./mvnw -pl no-such-module -am verify", Set.of())).singleElement().asString().contains("no-such-module");
        assertThat(problems("./mvnw -pl contracts verfy", Set.of())).singleElement().asString().contains("verfy");
        assertThat(problems("./mvnw -pl task-service -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false",
                Set.of())).singleElement().asString().contains("NoSuchTest");
    }

    @Test
    void aModuleWithoutReactorDependenciesNeedsNoAlsoMake() {
        assertThat(problems("./mvnw -q -o -pl contracts install -DskipTests", Set.of())).isEmpty();
    }

    @Test
    void longRunsAndServersAreBeyondTheBuild() {
        assertThat(MavenCommand.parse(DocumentedCommands.segments(
                "./mvnw -pl tools/system-tests -am verify -Dtest=FaultRunTest -Dreliability.size=long").get(0)).beyondTheBuild()).isTrue();
        assertThat(MavenCommand.parse(DocumentedCommands.segments(
                "./mvnw -q -o -pl reporting-service -am spring-boot:run").get(0)).beyondTheBuild()).isTrue();
        assertThat(MavenCommand.parse(DocumentedCommands.segments(
                "./mvnw -q -o -pl task-service -am verify").get(0)).beyondTheBuild()).isFalse();
    }
}
