package cn.beijing.scienceedu.adapters;

import java.util.Arrays;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;

import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.adapters.registry.BureauProperties;
import cn.beijing.scienceedu.contracts.operations.model.ChainResult;

/**
 * bureau-adapters: Camel routes to the seventeen bureau systems, both ways.
 *
 * <p>{@code --verify [--unit=SJW]}: verify the message log's hash chains against the checkpoint file,
 * print the result and exit (0 intact, 1 broken) without consuming or delivering anything.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(BureauProperties.class)
public class BureauAdaptersApplication {

    public static void main(String[] args) {
        try {
            cn.beijing.scienceedu.adapters.registry.RegistryLocation.refuseOldSetting(System.getenv());
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        if (Arrays.asList(args).contains("--verify")) {
            System.exit(verify(args));
        }
        SpringApplication.run(BureauAdaptersApplication.class, args);
    }

    static int verify(String[] args) {
        String unit = Arrays.stream(args).filter(a -> a.startsWith("--unit=")).map(a -> a.substring(7)).findFirst()
                .orElse(null);
        SpringApplication app = new SpringApplication(BureauAdaptersApplication.class);
        app.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
        app.setDefaultProperties(java.util.Map.of("camel.main.auto-startup", "false",
                "spring.cloud.stream.bindings.taskEvents-in-0.consumer.auto-startup", "false",
                "hub.adapters.dispatch.enabled", "false", "hub.adapters.amqp-replies.enabled", "false",
                // a verify run only reads: it must not append a checkpoint of the chain it is judging
                "hub.adapters.message-log.checkpointing", "false"));
        try (ConfigurableApplicationContext ctx = app.run(Arrays.stream(args).filter(a -> !a.equals("--verify"))
                .toArray(String[]::new))) {
            List<ChainResult> results = ctx.getBean(MessageLog.class).verify(unit);
            boolean ok = true;
            for (ChainResult r : results) {
                System.out.println((r.getOk() ? "OK     " : "BROKEN ") + r.getUnitCode() + " records=" + r.getRecords()
                        + (r.getOk() ? "" : " at seq " + r.getBrokenAtSeq() + ": " + r.getProblem()));
                ok &= r.getOk();
            }
            System.out.println(ok ? "message log intact" : "message log BROKEN");
            return ok ? 0 : 1;
        }
    }
}
