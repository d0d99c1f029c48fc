package io.cairn.broker.partition;

/** Something parked until a partition gets new records (a long-poll fetch). */
public interface AppendWaiter {
    /** Called on the writer lane right after an append; must only flag and schedule, never read or block. */
    void onAppend();
}
