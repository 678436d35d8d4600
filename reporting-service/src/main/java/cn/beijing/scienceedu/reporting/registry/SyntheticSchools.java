package cn.beijing.scienceedu.reporting.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Loads the generated demo school list ({@code demo/schools-synthetic.csv}, every row marked
 * {@code synthetic=true}) at start when {@code hub.reporting.demo.synthetic-schools=true} (the local profile).
 */
@Component
@ConditionalOnProperty(name = "hub.reporting.demo.synthetic-schools", havingValue = "true")
public class SyntheticSchools implements ApplicationRunner {

    public static final String RESOURCE = "demo/schools-synthetic.csv";
    private final SchoolRegister register;

    public SyntheticSchools(SchoolRegister register) {
        this.register = register;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        register.importCsv(read());
    }

    public static String read() throws IOException {
        try (InputStream in = SyntheticSchools.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
