package dev.lapstream.core.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamSpecTest {

    @Test
    void outputSizeRoundsInputTimesScale() {
        assertThat(StreamSpec.parseScale("2.5").outputSize(192, 144)).isEqualTo(new Size(480, 360));
        assertThat(StreamSpec.parseScale("1.7").outputSize(191, 143)).isEqualTo(new Size(325, 243));
        assertThat(StreamSpec.parseScale("2x1.5").outputSize(640, 480)).isEqualTo(new Size(1280, 720));
        assertThat(StreamSpec.parseSize("1280x720").outputSize(640, 480)).isEqualTo(new Size(1280, 720));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-2", "NaN", "Infinity", "-Infinity", "0.5", "17", "abc", "2x0", "2xNaN", ""})
    void rejectsInvalidScales(String scale) {
        assertThatThrownBy(() -> StreamSpec.parseScale(scale)).isInstanceOf(InvalidSpecException.class)
                .message().doesNotContain("\n");
    }

    @Test
    void rejectsOutputsBeyondTheLimit() {
        assertThatThrownBy(() -> StreamSpec.ofScale(16).outputSize(1100, 100))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("17600x1600")
                .hasMessageContaining("16384");
        assertThatThrownBy(() -> StreamSpec.parseSize("20000x100")).hasMessageContaining("width");
        assertThatThrownBy(() -> StreamSpec.parseSize("1280by720")).hasMessageContaining("WIDTHxHEIGHT");
        assertThatThrownBy(() -> StreamSpec.parseSize("320x240").outputSize(640, 480)).hasMessageContaining("smaller");
    }

    @Test
    void rejectsOutputsTooSmallToEncode() {
        assertThatThrownBy(() -> StreamSpec.ofScale(2).outputSize(6, 40)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("12x80").hasMessageContaining("under 16");
        assertThatThrownBy(() -> StreamSpec.parseSize("15x100")).hasMessageContaining("width must be 16..");
        assertThat(StreamSpec.ofScale(2).outputSize(8, 8)).isEqualTo(new Size(16, 16));
    }

    @Test
    void jsonRoundTripsAndRejectsNonsense() {
        for (StreamSpec spec : new StreamSpec[]{StreamSpec.ofScale(2.5), StreamSpec.ofScales(2, 1.5),
                StreamSpec.ofSize(1280, 720)}) {
            assertThat(StreamSpec.fromJson(spec.toJson())).isEqualTo(spec);
        }
        assertThat(new String(StreamSpec.ofScale(2.5).toJson())).isEqualTo("{\"scale\":2.5}");
        assertThatThrownBy(() -> StreamSpec.fromJson("{\"scale\":-1}".getBytes())).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> StreamSpec.fromJson("{\"scale\":2,\"width\":3,\"height\":4}".getBytes()))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> StreamSpec.fromJson("{\"scal\":2}".getBytes())).isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() -> StreamSpec.fromJson("not json".getBytes())).isInstanceOf(InvalidSpecException.class);
    }

    @Test
    void policyRoundTripsAndIsValidated() {
        StreamSpec spec = StreamSpec.fromJson("{\"scale\":2,\"policy\":{\"maxWidth\":24,\"latencyTargetMs\":500}}".getBytes());
        assertThat(spec.effectivePolicy().max()).isEqualTo(24);
        assertThat(spec.effectivePolicy().min()).isZero();
        assertThat(spec.effectivePolicy().latencyTargetSeconds(2.0)).isEqualTo(0.5);
        assertThat(StreamSpec.fromJson(spec.toJson())).isEqualTo(spec);
        assertThat(StreamSpec.ofScale(2).effectivePolicy().latencyTargetSeconds(3.0)).as("the worker's default").isEqualTo(3.0);
        assertThatThrownBy(() -> StreamSpec.fromJson("{\"scale\":2,\"policy\":{\"width\":16,\"minWidth\":8}}".getBytes()))
                .hasMessageContaining("pins");
        assertThatThrownBy(() -> StreamSpec.fromJson("{\"scale\":2,\"policy\":{\"minWidth\":32,\"maxWidth\":16}}".getBytes()))
                .hasMessageContaining("minWidth 32 > maxWidth 16");
    }

    @Test
    void anOptionalModelRoundTripsAndMustNameSomething() {
        StreamSpec spec = StreamSpec.fromJson("{\"scale\":3,\"model\":\"models/fsdn-x3\"}".getBytes());
        assertThat(spec.model()).isEqualTo("models/fsdn-x3");
        assertThat(spec).isEqualTo(StreamSpec.ofScale(3).withModel("models/fsdn-x3"));
        assertThat(StreamSpec.fromJson(spec.toJson())).isEqualTo(spec);
        assertThat(StreamSpec.fromJson("{\"scale\":2}".getBytes()).model()).as("the worker's own").isNull();
        assertThatThrownBy(() -> StreamSpec.fromJson("{\"scale\":2,\"model\":\" \"}".getBytes()))
                .hasMessageContaining("model must name");
    }
}
