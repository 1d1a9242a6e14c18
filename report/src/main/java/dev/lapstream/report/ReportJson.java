package dev.lapstream.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;

/** report.json: the raw numbers, indented so diffs between regenerations stay readable. */
final class ReportJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ReportJson() {
    }

    static void write(Report r, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), r);
    }
}
