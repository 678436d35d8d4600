package cn.beijing.scienceedu.reporting.registry;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.contracts.reporting.model.District;
import cn.beijing.scienceedu.contracts.reporting.model.FieldError;
import cn.beijing.scienceedu.contracts.reporting.model.School;
import cn.beijing.scienceedu.contracts.reporting.model.SchoolImportResult;
import cn.beijing.scienceedu.reporting.shared.InvalidFieldsException;
import cn.beijing.scienceedu.reporting.shared.NotFoundException;

/** Register of Beijing's districts (seeded by the migration) and of schools (imported from CSV). */
@Service
class SchoolRegister {

    public static final Set<String> STAGES = Set.of("PRIMARY", "JUNIOR_SECONDARY", "SENIOR_SECONDARY", "NINE_YEAR",
            "COMPLETE_SECONDARY");
    private static final List<String> COLUMNS = List.of("code", "name", "districtCode", "stage", "synthetic");

    private final JdbcClient jdbc;
    private final org.springframework.context.ApplicationEventPublisher publisher;

    public SchoolRegister(JdbcClient jdbc, org.springframework.context.ApplicationEventPublisher publisher) {
        this.jdbc = jdbc;
        this.publisher = publisher;
    }

    /** Bad CSV rows: answered 400 with one error per bad field. */
    public static class InvalidCsvException extends InvalidFieldsException {
        public InvalidCsvException(List<FieldError> errors) {
            super("the CSV has " + errors.size() + " bad field(s)", errors);
        }
    }

    public List<District> districts() {
        return jdbc.sql("""
                select d.code, d.name, d.name_en, count(s.code) as schools
                from district d left join school s on s.district_code = d.code
                group by d.code, d.name, d.name_en, d.sort order by d.sort""")
                .query((rs, i) -> new District(rs.getString("code"), rs.getString("name"), rs.getString("name_en"),
                        rs.getInt("schools")))
                .list();
    }

    public List<School> schools(String district) {
        if (district != null && jdbc.sql("select count(*) from district where code = :d").param("d", district)
                .query(Integer.class).single() == 0) {
            throw new NotFoundException("no district " + district);
        }
        return jdbc.sql("""
                select * from school where (cast(:d as varchar) is null or district_code = :d) order by code""")
                .param("d", district)
                .query((rs, i) -> new School(rs.getString("code"), rs.getString("name"), rs.getString("district_code"),
                        School.StageEnum.fromValue(rs.getString("stage")), rs.getBoolean("synthetic")))
                .list();
    }

    @Transactional
    public SchoolImportResult importCsv(String csv) {
        String text = csv == null ? "" : csv.replace("\uFEFF", "");
        Set<String> districts = Set.copyOf(jdbc.sql("select code from district").query(String.class).list());
        List<FieldError> errors = new ArrayList<>();
        List<School> rows = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setCommentMarker('#')
                .setIgnoreEmptyLines(true).setTrim(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            for (String column : COLUMNS) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    errors.add(new FieldError("header." + column, "missing column " + column));
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidCsvException(errors);
            }
            for (CSVRecord r : parser) {
                long n = r.getRecordNumber();
                String code = r.get("code");
                String name = r.get("name");
                String district = r.get("districtCode");
                String stage = r.get("stage");
                String synthetic = r.get("synthetic");
                if (code.isEmpty() || !code.matches("[A-Za-z0-9_-]{1,40}")) {
                    errors.add(new FieldError("row[" + n + "].code", "must be 1-40 letters, digits, - or _"));
                }
                if (name.isEmpty()) {
                    errors.add(new FieldError("row[" + n + "].name", "must not be empty"));
                }
                if (!districts.contains(district)) {
                    errors.add(new FieldError("row[" + n + "].districtCode", "unknown district " + district));
                }
                if (!STAGES.contains(stage)) {
                    errors.add(new FieldError("row[" + n + "].stage", "must be one of " + STAGES));
                }
                if (!synthetic.matches("(?i)true|false")) {
                    errors.add(new FieldError("row[" + n + "].synthetic", "must be true or false"));
                }
                if (errors.isEmpty()) {
                    rows.add(new School(code, name, district, School.StageEnum.fromValue(stage),
                            Boolean.parseBoolean(synthetic)));
                }
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            if (e instanceof InvalidCsvException ice) {
                throw ice;
            }
            // the parser's own words, without its exception class
            Throwable cause = e instanceof java.io.UncheckedIOException && e.getCause() != null ? e.getCause() : e;
            errors.add(new FieldError("body", "not readable as CSV: " + cause.getMessage()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidCsvException(errors);
        }
        int created = 0;
        for (School s : rows) {
            boolean existed = jdbc.sql("select count(*) from school where code = :c").param("c", s.getCode())
                    .query(Integer.class).single() > 0;
            jdbc.sql("""
                    insert into school (code, name, district_code, stage, synthetic) values (:c, :n, :d, :s, :syn)
                    on conflict (code) do update set name = excluded.name, district_code = excluded.district_code,
                        stage = excluded.stage, synthetic = excluded.synthetic""")
                    .param("c", s.getCode()).param("n", s.getName()).param("d", s.getDistrictCode())
                    .param("s", s.getStage().getValue()).param("syn", s.getSynthetic())
                    .update();
            if (!existed) {
                created++;
            }
        }
        // schools place KPI values in districts: cached reports are stale after the commit
        publisher.publishEvent(new cn.beijing.scienceedu.reporting.projection.ProjectionChanged("schools", "schools", null));
        SchoolImportResult result = new SchoolImportResult();
        result.setImported(rows.size());
        result.setCreated(created);
        result.setUpdated(rows.size() - created);
        return result;
    }
}
