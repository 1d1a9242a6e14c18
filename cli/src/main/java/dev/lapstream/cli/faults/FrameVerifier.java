package dev.lapstream.cli.faults;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares one stream of the faulted run with the same input's uninterrupted reference run, frame by frame:
 * the committed upscaled records by index (exact pixels: bicubic is deterministic and the topic codec is
 * lossless), and the decoded frames of the two output files in order (the encoder is deterministic too, so equal
 * input frames give equal decoded frames).
 */
final class FrameVerifier {

    private FrameVerifier() {
    }

    static FaultReport.StreamResult verify(String stream, long expected, List<CommittedFrames.Frame> committed,
                                           List<CommittedFrames.Frame> reference, Path output,
                                           List<FrameHashes.Decoded> referenceFile, int sinkExit) {
        Map<Long, CommittedFrames.Frame> want = new HashMap<>();
        reference.forEach(f -> want.put(f.index(), f));
        Set<Long> distinct = new HashSet<>();
        boolean inOrder = true;
        long matching = 0;
        long previous = -1;
        for (CommittedFrames.Frame f : committed) {
            inOrder &= f.index() > previous;
            previous = f.index();
            CommittedFrames.Frame ref = want.get(f.index());
            if (distinct.add(f.index()) && f.index() < expected && ref != null && ref.hash().equals(f.hash())
                    && ref.ptsMicros() == f.ptsMicros()) {
                matching++;
            }
        }
        long lost = expected - distinct.stream().filter(i -> i >= 0 && i < expected).count();
        long duplicated = committed.size() - distinct.size();

        long fileFrames = -1;
        boolean fileInOrder = false;
        long fileMatching = 0;
        try {
            List<FrameHashes.Decoded> decoded = FrameHashes.decode(output);
            fileFrames = decoded.size();
            fileInOrder = true;
            for (int i = 0; i < decoded.size(); i++) {
                fileInOrder &= i == 0 || decoded.get(i).ptsMicros() > decoded.get(i - 1).ptsMicros();
                if (i < referenceFile.size() && decoded.get(i).equals(referenceFile.get(i))) {
                    fileMatching++;
                }
            }
        } catch (RuntimeException e) {
            // an undecodable output is reported as such (-1 frames), not as a crash of the suite
        }
        return new FaultReport.StreamResult(stream, expected, committed.size(), lost, duplicated, inOrder, matching,
                fileFrames, fileInOrder, fileMatching, sinkExit);
    }
}
