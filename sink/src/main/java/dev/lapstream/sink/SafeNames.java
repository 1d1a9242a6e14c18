package dev.lapstream.sink;

/** Stream ids as file and directory names: ids come from producers and may hold any character. */
final class SafeNames {

    private SafeNames() {
    }

    /** {@code cam/1} gives {@code cam_1}; {@code ..} gives {@code _..}, never a path that leaves its directory. */
    static String of(String streamId) {
        String name = streamId.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.startsWith(".") ? "_" + name : name;
    }
}
