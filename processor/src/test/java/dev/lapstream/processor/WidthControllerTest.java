package dev.lapstream.processor;

import dev.lapstream.core.spec.StreamSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WidthControllerTest {

    private static final List<Integer> WIDTHS = List.of(16, 24, 32);

    /** A worker whose cost per frame is proportional to width squared: full width 0.1 s per 1 MP frame. */
    private static WidthController measured() {
        return measured(new WidthController.Tuning(5, Duration.ofSeconds(2)));
    }

    private static WidthController measured(WidthController.Tuning tuning) {
        WidthController c = new WidthController(WIDTHS, tuning);
        for (int w : WIDTHS) {
            c.observeCost(w, 1.0, 5.0); // warm-up
            c.observeCost(w, 1.0, 0.1 * (w / 32.0) * (w / 32.0));
        }
        return c;
    }

    @Test
    void aStreamWithoutItsOwnTargetGetsTheWorkersTarget() {
        StreamSpec.Policy none = StreamSpec.ofScale(2).effectivePolicy();
        StreamSpec.Policy own = new StreamSpec.Policy(null, null, null, 5000);
        // 10 frames of backlog at 0.1 s each: 1 s to drain at full width
        WidthController strict = measured(new WidthController.Tuning(0, Duration.ofMillis(500)));
        WidthController relaxed = measured(new WidthController.Tuning(0, Duration.ofSeconds(2)));
        assertThat(choose(strict, none).width()).as("1 s > the worker's 0.5 s").isEqualTo(24);
        assertThat(choose(relaxed, none).width()).as("1 s < the worker's 2 s").isEqualTo(32);
        assertThat(choose(strict, own).width()).as("the stream's own 5 s wins").isEqualTo(32);
    }

    private static WidthController.Choice choose(WidthController c, StreamSpec.Policy policy) {
        return c.choose(10, 1.0, policy.latencyTargetSeconds(c.latencyTargetSeconds()), policy.min(), policy.max());
    }

    @Test
    void theFirstFramesWarmUpIsNotTakenForItsCost() {
        WidthController c = new WidthController(WIDTHS, new WidthController.Tuning(5, Duration.ofSeconds(2)));
        c.observeCost(32, 1.0, 15.0);
        c.observeCost(32, 1.0, 0.1);
        WidthController.Choice choice = c.choose(10, 1.0, 2.0, 0, Integer.MAX_VALUE);
        assertThat(choice.width()).as(choice.reason()).isEqualTo(32);
    }

    @Test
    void backlogCountsVideoRecordsOnly() {
        VideoShare share = new VideoShare();
        assertThat(share.frames(0, 100)).as("nothing seen yet: every record may be a frame").isEqualTo(100);
        for (int i = 0; i < 40; i++) {
            share.observe(0, true);
            for (int k = 0; k < 4; k++) {
                share.observe(0, false); // four audio chunks per frame, as in the sample clip
            }
        }
        share.observe(1, true);
        assertThat(share.frames(0, 209)).isEqualTo(42);
        assertThat(share.frames(1, 209)).isEqualTo(209);
    }

    @Test
    void narrowsOneStepPerCoolDownUnderABacklogAndReturnsWhenItClears() {
        WidthController c = measured();
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            chosen.add(c.choose(100, 1.0, 2.0, 0, Integer.MAX_VALUE).width());
        }
        assertThat(chosen.get(0)).isEqualTo(24);
        assertThat(c.choose(100, 1.0, 2.0, 0, Integer.MAX_VALUE).cause())
                .isIn(WidthController.Cause.HOLDING, WidthController.Cause.NARROWED);
        assertThat(chosen).contains(16).endsWith(16);
        // never two steps within a cool-down
        for (int i = 1; i < chosen.size(); i++) {
            if (!chosen.get(i).equals(chosen.get(i - 1))) {
                assertThat(chosen.subList(Math.max(0, i - 5), i)).containsOnly(chosen.get(i - 1));
            }
        }
        WidthController.Choice last = null;
        for (int i = 0; i < 30; i++) {
            last = c.choose(0, 1.0, 2.0, 0, Integer.MAX_VALUE);
        }
        assertThat(last.width()).isEqualTo(32);
        assertThat(last.reason()).contains("full width");
        assertThat(last.cause()).isEqualTo(WidthController.Cause.FULL_WIDTH);
    }

    @Test
    void holdsInsideTheHysteresisBand() {
        WidthController c = measured();
        for (int i = 0; i < 10; i++) {
            c.choose(100, 1.0, 2.0, 0, Integer.MAX_VALUE);
        }
        int width = c.choose(10, 1.0, 2.0, 0, Integer.MAX_VALUE).width();
        // 10 frames drain in 0.56 s at 24 (above target/4 = 0.5 s) and in 0.25 s at 16 (below target): hold
        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            widths.add(c.choose(i % 2 == 0 ? 10 : 12, 1.0, 2.0, 0, Integer.MAX_VALUE).width());
        }
        assertThat(widths).containsOnly(width);
    }

    @Test
    void doesNotWidenBeyondWhatKeepsUpWithArrivals() {
        WidthController c = measured();
        for (int i = 0; i < 12; i++) {
            c.choose(1000, 1.0, 2.0, 0, Integer.MAX_VALUE);
        }
        // frames arrive every 50 ms: width 32 (100 ms) and 24 (56 ms) cannot keep up, 16 (25 ms) can
        for (int t = 0; t < 50; t++) {
            c.observeArrival(t * 50L);
        }
        for (int i = 0; i < 30; i++) {
            assertThat(c.choose(0, 1.0, 2.0, 0, Integer.MAX_VALUE).width()).isEqualTo(16);
        }
    }

    @Test
    void policyBoundsWin() {
        WidthController c = measured();
        WidthController.Choice pinned = c.choose(0, 1.0, 2.0, 16, 16);
        assertThat(pinned.width()).isEqualTo(16);
        assertThat(pinned.reason()).startsWith("policy maximum 16");
        assertThat(pinned.cause()).isEqualTo(WidthController.Cause.POLICY_MAXIMUM);
        for (int i = 0; i < 30; i++) {
            c.choose(1000, 1.0, 2.0, 0, Integer.MAX_VALUE);
        }
        WidthController.Choice floor = c.choose(1000, 1.0, 2.0, 20, 32);
        assertThat(floor.width()).isEqualTo(24);
        assertThat(floor.reason()).startsWith("policy minimum 20");
        assertThat(floor.cause()).isEqualTo(WidthController.Cause.POLICY_MINIMUM);
    }
}
