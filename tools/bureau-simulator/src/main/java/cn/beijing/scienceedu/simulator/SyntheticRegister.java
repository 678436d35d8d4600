package cn.beijing.scienceedu.simulator;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * A SYNTHETIC school register (合成数据, no real school): two made-up schools in each of Beijing's 16 districts and
 * the development area. The simulated bureaus report their school-level KPI values for these schools; the demo
 * imports the same list into the reporting-service's register ({@code GET /sim/register.csv}, the CSV that
 * {@code POST /api/v1/schools} takes).
 */
@Component
public class SyntheticRegister {

    public record School(String code, String name, String districtCode, String stage) {
    }

    /** District codes as in the reporting-service's register (GB/T 2260), with their names. */
    private static final String[][] DISTRICTS = {
            {"110101", "东城区"}, {"110102", "西城区"}, {"110105", "朝阳区"}, {"110106", "丰台区"},
            {"110107", "石景山区"}, {"110108", "海淀区"}, {"110109", "门头沟区"}, {"110111", "房山区"},
            {"110112", "通州区"}, {"110113", "顺义区"}, {"110114", "昌平区"}, {"110115", "大兴区"},
            {"110116", "怀柔区"}, {"110117", "平谷区"}, {"110118", "密云区"}, {"110119", "延庆区"},
            {"110400", "北京经济技术开发区"}};

    private final List<School> schools;

    public SyntheticRegister() {
        List<School> list = new ArrayList<>();
        for (String[] d : DISTRICTS) {
            // "SIM" codes never collide with a real register's codes
            list.add(new School("SIM" + d[0] + "01", d[1] + "模拟第一小学（合成）", d[0], "PRIMARY"));
            list.add(new School("SIM" + d[0] + "02", d[1] + "模拟实验中学（合成）", d[0], "COMPLETE_SECONDARY"));
        }
        schools = List.copyOf(list);
    }

    public List<School> schools() {
        return schools;
    }

    /** The register as the reporting-service imports it: header {@code code,name,districtCode,stage,synthetic}. */
    public String csv() {
        StringBuilder b = new StringBuilder("code,name,districtCode,stage,synthetic\n");
        for (School s : schools) {
            b.append(s.code()).append(',').append(s.name()).append(',').append(s.districtCode()).append(',')
                    .append(s.stage()).append(",true\n");
        }
        return b.toString();
    }
}
