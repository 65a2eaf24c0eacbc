namespace Coordinator.Grains.Raft;

public enum ReplicaRole : byte { Follower, PreCandidate, Candidate, Leader }

/// <summary>Volatile state worth telling the host about when it changes: who leads, and our role.</summary>
public readonly record struct SoftState(ulong Leader, ReplicaRole Role);

/// <summary>A linearizable read may be served once the state machine has applied <see cref="Index"/>.</summary>
public readonly record struct ReadState(ulong Index, ulong Context);
