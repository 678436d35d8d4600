package cn.beijing.scienceedu.helmchart;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ChartLintTest {

    @Test
    void strictLintPassesWithDefaultValues() {
        LintResult result = HubChart.lintStrict();

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    @Test
    void strictLintPassesWithProductionValues() {
        LintResult result = HubChart.lintStrict(HubChart.read(HubChart.PROD_VALUES));

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    /** Also leaves the output in target/rendered/ for a human to read. */
    @Test
    void defaultAndProductionValuesBothRender() throws IOException {
        String defaults = HubChart.renderText();
        String prod = HubChart.renderText(HubChart.read(HubChart.PROD_VALUES));
        Path out = Files.createDirectories(Path.of("target", "rendered"));
        Files.writeString(out.resolve("default.yaml"), defaults);
        Files.writeString(out.resolve("prod.yaml"), prod);

        assertThat(HubChart.render().ofKind("Deployment")).hasSize(4);
        assertThat(HubChart.renderProd().ofKind("Deployment")).hasSize(4);
    }
}
