package dev.lapstream.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lapstream.core.json.Json;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one stream is upscaled: exactly one of a uniform {@code scale}, a per-axis pair
 * ({@code scaleX}, {@code scaleY}) or a target {@code width} x {@code height}. Stored as JSON in the
 * compacted streams topic, e.g. {@code {"scale":2.5}}, {@code {"scaleX":2.0,"scaleY":1.5}},
 * {@code {"width":1280,"height":720}}. An optional {@code model} names the model that serves the stream (a model
 * directory or a name under the worker's {@code models/}, e.g. {@code {"scale":3,"model":"models/fsdn-x3"}});
 * without it the worker's own model does.
 */
public record StreamSpec(Double scale, Double scaleX, Double scaleY, Integer width, Integer height, Policy policy,
                         String model) {

    /**
     * How a stream trades quality for throughput (all optional): pin the AnySR subnet {@code width}, or bound
     * it with {@code minWidth} / {@code maxWidth}; {@code latencyTargetMs} is how long a backlog may take to
     * drain before the worker narrows the subnet (default: the worker's {@code --latency-target}).
     */
    public record Policy(Integer width, Integer minWidth, Integer maxWidth, Integer latencyTargetMs) {

        public Policy {
            for (Integer w : new Integer[]{width, minWidth, maxWidth}) {
                if (w != null && w < 1) {
                    throw new InvalidSpecException("policy widths must be positive, got " + w);
                }
            }
            if (width != null && (minWidth != null || maxWidth != null)) {
                throw new InvalidSpecException("policy: width pins the subnet; minWidth/maxWidth go without it");
            }
            if (minWidth != null && maxWidth != null && minWidth > maxWidth) {
                throw new InvalidSpecException("policy: minWidth " + minWidth + " > maxWidth " + maxWidth);
            }
            if (latencyTargetMs != null && latencyTargetMs < 1) {
                throw new InvalidSpecException("policy: latencyTargetMs must be positive, got " + latencyTargetMs);
            }
        }

        public int min() {
            return width != null ? width : minWidth != null ? minWidth : 0;
        }

        public int max() {
            return width != null ? width : maxWidth != null ? maxWidth : Integer.MAX_VALUE;
        }

        /** The stream's latency target, or the worker's {@code fallbackSeconds} when the spec sets none. */
        public double latencyTargetSeconds(double fallbackSeconds) {
            return latencyTargetMs != null ? latencyTargetMs / 1000.0 : fallbackSeconds;
        }
    }

    /** Largest output side: beyond it a single frame no longer fits a Kafka record or an encoder level. */
    public static final int MAX_OUTPUT_SIDE = 16384;
    /** Smallest output side: the H.264 encoder (OpenH264) cannot encode a picture narrower or lower than this. */
    public static final int MIN_OUTPUT_SIDE = 16;
    /** Largest factor per axis. */
    public static final double MAX_SCALE = 16;
    private static final Pattern PAIR = Pattern.compile("\\s*([^xX:]+)\\s*[xX:]\\s*([^xX:]+)\\s*");

    public StreamSpec {
        int forms = (scale != null ? 1 : 0) + (scaleX != null || scaleY != null ? 1 : 0)
                + (width != null || height != null ? 1 : 0);
        if (forms != 1) {
            throw new InvalidSpecException("a stream spec needs exactly one of scale, scaleX+scaleY, width+height");
        }
        if (scale != null) {
            checkScale("scale", scale);
        }
        if (scaleX != null || scaleY != null) {
            if (scaleX == null || scaleY == null) {
                throw new InvalidSpecException("scaleX and scaleY go together");
            }
            checkScale("scaleX", scaleX);
            checkScale("scaleY", scaleY);
        }
        if (width != null || height != null) {
            if (width == null || height == null) {
                throw new InvalidSpecException("width and height go together");
            }
            checkSide("width", width);
            checkSide("height", height);
        }
        if (model != null && model.isBlank()) {
            throw new InvalidSpecException("model must name a model directory or a model under models/, got '"
                    + model + "'");
        }
    }

    /** A spec served by the worker's own model. */
    public StreamSpec(Double scale, Double scaleX, Double scaleY, Integer width, Integer height, Policy policy) {
        this(scale, scaleX, scaleY, width, height, policy, null);
    }

    public static StreamSpec ofScale(double scale) {
        return new StreamSpec(scale, null, null, null, null, null);
    }

    public static StreamSpec ofScales(double scaleX, double scaleY) {
        return new StreamSpec(null, scaleX, scaleY, null, null, null);
    }

    public static StreamSpec ofSize(int width, int height) {
        return new StreamSpec(null, null, null, width, height, null);
    }

    /** This spec with a policy (null for the defaults). */
    public StreamSpec withPolicy(Policy newPolicy) {
        return new StreamSpec(scale, scaleX, scaleY, width, height, newPolicy, model);
    }

    /** This spec served by {@code newModel} (null: the worker's own). */
    public StreamSpec withModel(String newModel) {
        return new StreamSpec(scale, scaleX, scaleY, width, height, policy, newModel);
    }

    /** The policy, or the defaults (full width allowed, 2 s latency target). */
    public Policy effectivePolicy() {
        return policy != null ? policy : new Policy(null, null, null, null);
    }

    /** Parses a CLI scale: {@code 2.5} or {@code SXxSY} such as {@code 2x1.5} (horizontal first). */
    public static StreamSpec parseScale(String text) {
        Matcher pair = PAIR.matcher(text);
        if (pair.matches()) {
            return ofScales(number(pair.group(1), text), number(pair.group(2), text));
        }
        return ofScale(number(text, text));
    }

    /** Parses a CLI target size {@code WxH}, e.g. {@code 1280x720}. */
    public static StreamSpec parseSize(String text) {
        Matcher pair = PAIR.matcher(text);
        if (!pair.matches()) {
            throw new InvalidSpecException("size '" + text + "' is not WIDTHxHEIGHT, e.g. 1280x720");
        }
        try {
            return ofSize(Integer.parseInt(pair.group(1).trim()), Integer.parseInt(pair.group(2).trim()));
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("size '" + text + "' is not WIDTHxHEIGHT in whole pixels");
        }
    }

    public static StreamSpec fromJson(byte[] json) {
        try {
            return Json.MAPPER.readValue(json, StreamSpec.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof InvalidSpecException ? e.getCause() : e;
            throw new InvalidSpecException("bad stream spec: " + firstLine(cause.getMessage()));
        } catch (java.io.IOException e) {
            throw new InvalidSpecException("bad stream spec: " + firstLine(e.getMessage()));
        }
    }

    public byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Output size for an input of {@code inWidth x inHeight}: round(input x scale) per axis. Throws when the
     * result would shrink an axis, exceed {@link #MAX_OUTPUT_SIDE} or fall under
     * {@link #MIN_OUTPUT_SIDE}.
     */
    public Size outputSize(int inWidth, int inHeight) {
        int outW;
        int outH;
        if (width != null) {
            outW = width;
            outH = height;
            if (outW < inWidth || outH < inHeight) {
                throw new InvalidSpecException("target size " + outW + "x" + outH + " is smaller than the input "
                        + inWidth + "x" + inHeight + " on an axis; lapstream only upscales");
            }
        } else {
            double sx = scale != null ? scale : scaleX;
            double sy = scale != null ? scale : scaleY;
            long w = Math.round(inWidth * sx);
            long h = Math.round(inHeight * sy);
            if (w > MAX_OUTPUT_SIDE || h > MAX_OUTPUT_SIDE) {
                throw new InvalidSpecException(String.format(Locale.ROOT,
                        "output %dx%d (input %dx%d at %s) exceeds %d pixels on a side",
                        w, h, inWidth, inHeight, describe(), MAX_OUTPUT_SIDE));
            }
            outW = (int) w;
            outH = (int) h;
        }
        if (outW < MIN_OUTPUT_SIDE || outH < MIN_OUTPUT_SIDE) {
            throw new InvalidSpecException(String.format(Locale.ROOT,
                    "output %dx%d (input %dx%d at %s) is under %d pixels on a side, too small for H.264;"
                            + " choose a larger scale or size", outW, outH, inWidth, inHeight, describe(),
                    MIN_OUTPUT_SIDE));
        }
        return new Size(outW, outH);
    }

    /** Human form for logs and summaries: {@code x2.5}, {@code x2x1.5} or {@code 1280x720}. */
    public String describe() {
        if (scale != null) {
            return "x" + fmt(scale);
        }
        if (scaleX != null) {
            return "x" + fmt(scaleX) + "x" + fmt(scaleY);
        }
        return width + "x" + height;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static double number(String s, String whole) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("scale '" + whole + "' is not a number or SXxSY pair, e.g. 2.5 or 2x1.5");
        }
    }

    private static void checkScale(String name, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new InvalidSpecException(name + " must be a finite number, got " + value);
        }
        if (value < 1) {
            throw new InvalidSpecException(name + " must be at least 1 (lapstream upscales), got " + value);
        }
        if (value > MAX_SCALE) {
            throw new InvalidSpecException(name + " must be at most " + (int) MAX_SCALE + ", got " + value);
        }
    }

    private static void checkSide(String name, int value) {
        if (value < MIN_OUTPUT_SIDE || value > MAX_OUTPUT_SIDE) {
            throw new InvalidSpecException(name + " must be " + MIN_OUTPUT_SIDE + ".." + MAX_OUTPUT_SIDE + ", got "
                    + value);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
