package dev.lapstream.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resumable training checkpoint in one small binary file: magic, a JSON header (config, step,
 * seed, wall time, free-form trainer state), then for every weight in {@link AsdnConfig#params()}
 * order its values, Adam first and second moments (float32, little-endian). Written to a
 * temporary file and renamed, so a crash never leaves a torn checkpoint; the previous one is
 * kept as {@code <name>.prev}.
 */
public record Checkpoint(AsdnConfig config, long step, long seed, double wallSeconds, String trainerJson,
                         Map<String, float[]> weights, Map<String, float[]> m, Map<String, float[]> v) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MAGIC = "ASDNCKP1".getBytes(StandardCharsets.US_ASCII);

    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        ObjectNode fields = JSON.createObjectNode();
        fields.set("config", JSON.valueToTree(config));
        fields.put("step", step).put("seed", seed).put("wallSeconds", wallSeconds);
        fields.set("trainer", trainerJson == null ? null : JSON.readTree(trainerJson));
        String header = JSON.writeValueAsString(fields);
        try (OutputStream os = Files.newOutputStream(tmp);
             DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os, 1 << 16))) {
            out.write(MAGIC);
            byte[] h = header.getBytes(StandardCharsets.UTF_8);
            out.writeInt(h.length);
            out.write(h);
            for (AsdnConfig.ParamSpec s : config.params()) {
                writeFloats(out, weights.get(s.name()), s);
                writeFloats(out, m == null ? new float[(int) s.size()] : m.get(s.name()), s);
                writeFloats(out, v == null ? new float[(int) s.size()] : v.get(s.name()), s);
            }
        }
        if (Files.exists(file)) {
            Files.move(file, dir.resolve(file.getFileName() + ".prev"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeFloats(DataOutputStream out, float[] a, AsdnConfig.ParamSpec s) throws IOException {
        if (a == null || a.length != s.size()) {
            throw new IOException("weight " + s.name() + " missing or of wrong size");
        }
        ByteBuffer bb = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(a);
        out.write(bb.array());
    }

    public static Checkpoint read(Path file) throws IOException {
        try (InputStream is = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(is, 1 << 16))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not an ASDN checkpoint");
            }
            int hl = in.readInt();
            JsonNode header = JSON.readTree(in.readNBytes(hl));
            AsdnConfig cfg = JSON.treeToValue(header.required("config"), AsdnConfig.class);
            long step = header.required("step").asLong();
            long seed = header.required("seed").asLong();
            double wall = header.required("wallSeconds").asDouble();
            JsonNode trainerNode = header.path("trainer");
            String trainer = trainerNode.isObject() ? JSON.writeValueAsString(trainerNode) : null;
            Map<String, float[]> w = new LinkedHashMap<>();
            Map<String, float[]> m = new LinkedHashMap<>();
            Map<String, float[]> v = new LinkedHashMap<>();
            for (AsdnConfig.ParamSpec s : cfg.params()) {
                w.put(s.name(), readFloats(in, (int) s.size()));
                m.put(s.name(), readFloats(in, (int) s.size()));
                v.put(s.name(), readFloats(in, (int) s.size()));
            }
            return new Checkpoint(cfg, step, seed, wall, trainer, w, m, v);
        }
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n * 4);
        if (b.length != n * 4) {
            throw new IOException("truncated checkpoint");
        }
        float[] a = new float[n];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
        return a;
    }
}
