package io.cairn.storage;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this JVM, for the figures the reliability suites print: on a shared 2-core machine
 * the wall time of a suite says more about its neighbours than about the suite.
 */
final class CpuTime {
    private CpuTime() {
    }

    /** Process CPU time in milliseconds (all threads), or -1 where the platform does not tell. */
    static long processMs() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1_000_000;
        }
        return -1;
    }
}
