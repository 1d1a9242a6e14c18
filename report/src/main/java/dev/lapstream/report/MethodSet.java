package dev.lapstream.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.image.Resize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every method of a run: the baselines, each lapstream model at each of its widths, the peers.
 * Owns the loaded networks and closes them.
 */
final class MethodSet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MethodSet.class);

    /** What was measured for one {@code --model}: its folder, architecture, training card and cost per width. */
    record ModelInfo(String label, String dir, @JsonRawValue String config, TrainingCard training,
                     List<WidthCost> widths) {
    }

    record WidthCost(String method, int width, long macsPerOutputPixelAtX2, long macsPerOutputPixelAtX4) {
    }

    /** The trainer's card beside the SavedModel: which snapshot was measured. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TrainingCard(Long step, Long trainingSeconds) {

        static TrainingCard read(Path modelDir) {
            Path card = modelDir.resolve("training.json");
            if (!Files.isRegularFile(card)) {
                return null;
            }
            try {
                return new ObjectMapper().readValue(card.toFile(), TrainingCard.class);
            } catch (IOException e) {
                LOG.warn("unreadable training card {}: {}", card, e.toString());
                return null;
            }
        }
    }

    record PeerInfo(String name, String family, int scale, double macsPerOutputPixel) {
    }

    private final List<Method> baselines = new ArrayList<>();
    private final List<List<Method>> models = new ArrayList<>();
    private final List<Method> peers = new ArrayList<>();
    private final List<ModelInfo> modelInfo = new ArrayList<>();
    private final List<PeerInfo> peerInfo = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Loads everything {@code cfg} names; notes for the report go to {@code notes}. */
    MethodSet(ReportConfig cfg, List<String> notes) {
        BicubicUpscaler bicubic = new BicubicUpscaler();
        baselines.add(Method.baseline("bicubic", bicubic::upscale));
        baselines.add(Method.baseline("lanczos3", (lr, w, h) -> Resize.resize(lr, w, h, Resize.Kernel.LANCZOS3)));
        try {
            Set<String> labels = new HashSet<>();
            for (Path dir : cfg.models()) {
                if (!labels.add(LapstreamModel.label(dir))) {
                    throw new IllegalArgumentException("two --model folders are both called '"
                            + LapstreamModel.label(dir) + "': the rows are named after the folder, rename one");
                }
                addModel(new LapstreamModel(dir));
            }
            if (cfg.peers() != null && Files.isDirectory(cfg.peers())) {
                for (Path pb : PeerModel.list(cfg.peers())) {
                    PeerModel p = PeerModel.load(pb);
                    if (cfg.quick() && !p.family().equals("ESPCN")) {
                        p.close();
                        continue;
                    }
                    addPeer(p);
                }
            } else {
                notes.add("No peer models found" + (cfg.peers() == null ? "" : " in " + cfg.peers())
                        + ": peer rows are absent.");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void addModel(LapstreamModel model) {
        closeables.add(model);
        List<Method> rows = new ArrayList<>();
        List<WidthCost> costs = new ArrayList<>();
        for (int w : model.widths()) {
            rows.add(new Method(model.methodName(w), Method.Kind.LAPSTREAM, model.label(), w, 0,
                    (lr, ow, oh) -> model.upscale(lr, ow, oh, w), (sh, sw) -> model.macsPerOutputPixel(w, sh, sw)));
            costs.add(new WidthCost(model.methodName(w), w, Math.round(model.macsPerOutputPixel(w, 2, 2)),
                    Math.round(model.macsPerOutputPixel(w, 4, 4))));
        }
        models.add(rows);
        modelInfo.add(new ModelInfo(model.label(), model.dir().toString(), model.configJson(),
                TrainingCard.read(model.dir()), costs));
        LOG.info("lapstream model {} ({}) widths {}", model.label(), model.dir(), model.widths());
    }

    private void addPeer(PeerModel p) {
        closeables.add(p);
        double macs = Math.rint(p.macsPerOutputPixel());
        peers.add(new Method(p.name(), Method.Kind.PEER, p.family(), 0, p.scale(), p::upscale, (sh, sw) -> macs));
        peerInfo.add(new PeerInfo(p.name(), p.family(), p.scale(), macs));
        LOG.info("peer {} loaded ({} multiply-adds per output pixel)", p.name(), Math.round(macs));
    }

    List<Method> baselines() {
        return baselines;
    }

    Method bicubic() {
        return baselines.get(0);
    }

    /** Every width of every model, model by model, narrowest first. */
    List<Method> lapstream() {
        return models.stream().flatMap(List::stream).toList();
    }

    /** Each model's full width. */
    List<Method> fullWidths() {
        return models.stream().map(m -> m.get(m.size() - 1)).toList();
    }

    /** Each model's narrowest and full width (once if it has one width). */
    List<Method> narrowestAndFull() {
        return models.stream().flatMap(m -> m.size() == 1 ? m.stream() : List.of(m.get(0), m.get(m.size() - 1)).stream())
                .toList();
    }

    /** The methods that run at any scale: baselines, then every lapstream width. */
    List<Method> arbitrary() {
        List<Method> out = new ArrayList<>(baselines);
        out.addAll(lapstream());
        return out;
    }

    List<Method> peers() {
        return peers;
    }

    List<ModelInfo> modelInfo() {
        return modelInfo;
    }

    List<PeerInfo> peerInfo() {
        return peerInfo;
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("close failed: {}", e.toString());
            }
        }
        closeables.clear();
    }
}
