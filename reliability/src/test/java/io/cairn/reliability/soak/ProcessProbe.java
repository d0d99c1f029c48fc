package io.cairn.reliability.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads this JVM's resources the way an operator would read a broker's: heap in use right after a
 * full collection, open file descriptors ({@code /proc/self/fd}), and mappings of files under the
 * data directory ({@code /proc/self/maps}, where an index that was never unmapped would stay).
 *
 * <p>The broker runs in this JVM together with the soak's clients, so the heap figure covers both;
 * the clients' share is bounded (their buffers are fixed), so growth still points at the broker.
 *
 * <p>Linux only. Called from the sampling thread.
 */
final class ProcessProbe {
    private static final Path FD_DIR = Path.of("/proc/self/fd");
    private static final Path MAPS = Path.of("/proc/self/maps");
    private final String dataDir;

    ProcessProbe(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().toString();
    }

    static boolean supported() {
        return Files.isDirectory(FD_DIR) && Files.isReadable(MAPS);
    }

    /** Runs a full GC (stop the world, a few tens of ms for this heap) and returns the heap then in use. */
    long heapAfterGcBytes() {
        ManagementFactory.getMemoryMXBean().gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    int openFileDescriptors() {
        try (Stream<Path> fds = Files.list(FD_DIR)) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + FD_DIR, e);
        }
    }

    /** Memory mappings of files below the data directory (live indexes plus any leaked). */
    int mappedDataFiles() {
        try (Stream<String> lines = Files.lines(MAPS)) {
            return (int) lines.filter(l -> l.contains(dataDir)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + MAPS, e);
        }
    }

    /**
     * Descriptors and mappings of data files already unlinked (the kernel marks them "(deleted)"):
     * the broker unmaps and closes a removed segment's files before it unlinks them, so these should
     * be none, and any that stay are leaked.
     */
    Unlinked unlinked() {
        int fds = 0;
        List<String> examples = new ArrayList<>();
        try (Stream<Path> links = Files.list(FD_DIR)) {
            for (Path link : (Iterable<Path>) links::iterator) {
                try {
                    String target = Files.readSymbolicLink(link).toString();
                    if (target.startsWith(dataDir) && target.endsWith(" (deleted)")) {
                        fds++;
                        if (examples.size() < 5) {
                            examples.add("fd " + target.substring(dataDir.length() + 1));
                        }
                    }
                } catch (IOException e) {
                    // the descriptor was closed while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + FD_DIR, e);
        }
        int maps = 0;
        try (Stream<String> lines = Files.lines(MAPS)) {
            for (String l : (Iterable<String>) lines::iterator) {
                if (l.contains(dataDir) && l.endsWith(" (deleted)")) {
                    maps++;
                    if (examples.size() < 10) {
                        examples.add("map " + l.substring(l.indexOf(dataDir) + dataDir.length() + 1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + MAPS, e);
        }
        return new Unlinked(fds, maps, List.copyOf(examples));
    }

    /** Open descriptors and mappings of unlinked data files, with up to ten of their names. */
    record Unlinked(int fds, int maps, List<String> examples) {
        int total() {
            return fds + maps;
        }
    }

    /** The 1, 5 and 15 minute load averages, as the kernel prints them. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
