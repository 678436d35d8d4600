package cn.beijing.scienceedu.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /sim/tally?kind=ASSIGNMENT}: per (unit, task) how many copies of that kind of message the bureau
 * received and how many effects they had (distinct message ids) — compact enough for a fault run over
 * 10,000 tasks, where {@code /sim/received} (every copy with its fields) would be tens of megabytes.
 */
@RestController
public class SimTallyController {

    private final Recorder recorder;

    public SimTallyController(Recorder recorder) {
        this.recorder = recorder;
    }

    @GetMapping(path = "/sim/tally", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Map<String, Object>> tally(@RequestParam(required = false) String kind) {
        return recorder.tallies(kind).stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", t.unit());
            m.put("taskId", t.taskId());
            m.put("kind", t.kind());
            m.put("copies", t.copies());
            m.put("invalid", t.invalid());
            m.put("effects", t.effects());
            if (t.effects() > 1) {
                m.put("messageIds", t.messageIds()); // the evidence of a double effect
            }
            return m;
        }).toList();
    }
}
