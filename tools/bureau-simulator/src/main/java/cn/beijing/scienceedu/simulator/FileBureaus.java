package cn.beijing.scienceedu.simulator;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The file-exchange and SFTP bureaus' side: reads what the hub wrote into each {@code inbox} (in name
 * order, skipping temp names), checks it against the bureau's shape, records it, and moves it to
 * {@code processed/} (kept byte for byte). A bureau in DOWN mode leaves its inbox alone.
 */
@Component
public class FileBureaus {

    private static final Logger log = LoggerFactory.getLogger(FileBureaus.class);

    private final SimBureaus bureaus;
    private final SimSettings settings;
    private final Shapes shapes;
    private final Recorder recorder;
    private final Behaviours behaviours;

    public FileBureaus(SimBureaus bureaus, SimSettings settings, Shapes shapes, Recorder recorder, Behaviours behaviours) {
        this.bureaus = bureaus;
        this.settings = settings;
        this.shapes = shapes;
        this.recorder = recorder;
        this.behaviours = behaviours;
        for (SimBureaus.Bureau b : all()) {
            try {
                Path dir = b.directory(settings.getSftpRoot());
                Files.createDirectories(dir.resolve("inbox"));
                Files.createDirectories(dir.resolve("outbox"));
                Files.createDirectories(dir.resolve("processed"));
            } catch (IOException e) {
                throw new IllegalStateException("cannot create directories of " + b.code(), e);
            }
        }
    }

    private List<SimBureaus.Bureau> all() {
        List<SimBureaus.Bureau> l = new ArrayList<>(bureaus.byProtocol("FILE"));
        l.addAll(bureaus.byProtocol("SFTP"));
        return l;
    }

    @Scheduled(fixedDelayString = "${sim.file-poll-interval:PT0.3S}")
    public void poll() {
        for (SimBureaus.Bureau b : all()) {
            if (behaviours.of(b.code()).mode() == Behaviours.Mode.DOWN) {
                continue;
            }
            Path dir = b.directory(settings.getSftpRoot());
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("inbox"))) {
                ds.forEach(p -> {
                    String n = p.getFileName().toString();
                    if (Files.isRegularFile(p) && !n.startsWith(".")) {
                        files.add(p);
                    }
                });
            } catch (IOException e) {
                continue;
            }
            files.sort(null);
            for (Path f : files) {
                read(b, dir, f);
            }
        }
    }

    private void read(SimBureaus.Bureau b, Path dir, Path f) {
        try {
            byte[] raw = Files.readAllBytes(f);
            Charset cs = bureaus.charset(b);
            String format = bureaus.format(b);
            Shapes.Read read = switch (format) {
                case "csv" -> shapes.readCsv(b, raw, cs);
                case "xslt" -> shapes.readFileXml(b, raw);
                default -> shapes.readJson(b, format, raw, cs);
            };
            recorder.record(b.code(), b.getProtocol(), read.fields(), read.errors(), f.getFileName().toString(), raw, null);
            Files.move(f, dir.resolve("processed").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("{}: cannot read {}: {}", b.code(), f, e.getMessage());
        }
    }
}
