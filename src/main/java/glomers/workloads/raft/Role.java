package glomers.workloads.raft;

/** A Raft server's role. {@code PRE_CANDIDATE} is the pre-vote phase (Raft thesis §9.6). */
public enum Role {
  FOLLOWER,
  PRE_CANDIDATE,
  CANDIDATE,
  LEADER
}
