package glomers.workloads.raft;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One log entry: the term of the leader that created it and an opaque command. A null command is the
 * no-op a new leader appends to commit entries of earlier terms (Raft §5.4.2) and to make ReadIndex safe.
 */
public record LogEntry(long term, ObjectNode command) {}
