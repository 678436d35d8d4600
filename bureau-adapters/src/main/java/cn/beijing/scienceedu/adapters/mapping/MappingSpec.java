package cn.beijing.scienceedu.adapters.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A mapping file ({@code json-map} or {@code csv}): field names, code lists, date formats, CSV columns. */
public class MappingSpec {
    public Map<String, String> fields = new LinkedHashMap<>();
    public Map<String, Map<String, String>> codes = new LinkedHashMap<>();
    public String dateFormat = "yyyy-MM-dd";
    public String dateTimeFormat;
    public List<String> required = new ArrayList<>();
    public List<Column> columns = new ArrayList<>();
    public List<Column> reportColumns = new ArrayList<>();
    public Map<String, Map<String, String>> reportCodes = new LinkedHashMap<>();
    public String listSeparator = ";";
    /** Separates the parts of one entry of a list column ({@code 指标数据}, {@code 佐证材料}). */
    public String partSeparator = "|";

    public static class Column {
        public String header;
        public String field;
        /** For a list column: the bureau-api field of each part of an entry, in order. */
        public List<String> parts;
    }
}
