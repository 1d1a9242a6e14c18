package dev.lapstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.image.Upscaler;
import dev.lapstream.core.spec.StreamSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker's models: each named one loaded once, failures remembered, a bound on how many. */
class ModelsTest {

    @Test
    void eachModelLoadsOnceFailuresAreRememberedAndTheBoundHolds() {
        Upscaler own = new BicubicUpscaler();
        List<String> loads = new ArrayList<>();
        Models models = new Models(own, name -> {
            loads.add(name);
            if (name.startsWith("bad")) {
                throw new IllegalStateException("no such model dir\nsecond line");
            }
            return new BicubicUpscaler();
        }, 2);
        StreamSpec x2 = StreamSpec.ofScale(2);
        assertThat(models.forSpec(x2)).isSameAs(own);
        Upscaler a = models.forSpec(x2.withModel("a"));
        assertThat(models.forSpec(x2.withModel("a"))).isSameAs(a);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> models.forSpec(x2.withModel("bad")))
                    .isInstanceOf(Models.UnavailableModelException.class)
                    .hasMessage("model 'bad' cannot be loaded: no such model dir");
        }
        models.forSpec(x2.withModel("b"));
        assertThatThrownBy(() -> models.forSpec(x2.withModel("c")))
                .hasMessage("model 'c' not loaded: this worker serves at most 2 named models (a, b)");
        assertThat(loads).containsExactly("a", "bad", "b");
        models.close();
        assertThatThrownBy(() -> Models.only(own).forSpec(x2.withModel("a")))
                .hasMessageContaining("loads no models but its own");
    }
}
