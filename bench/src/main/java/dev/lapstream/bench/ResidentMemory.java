package dev.lapstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident set size, from Linux's {@code /proc/PID/status}. */
public final class ResidentMemory {

    private ResidentMemory() {
    }

    /** Megabytes resident; -1 where there is no such figure (not Linux, or the process is gone). */
    public static long megabytes(long pid) {
        try {
            return kilobytes(Files.readString(Path.of("/proc", Long.toString(pid), "status"))) / 1024;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The {@code VmRSS} line of a status file, in kB; -1 without one. */
    static long kilobytes(String status) {
        return status.lines().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
    }
}
