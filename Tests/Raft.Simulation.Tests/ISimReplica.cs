using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Simulation;

/// <summary>What a checker sees of one replica: its id in its group, the running replica (null while its
/// host is down) and the state machine it applies to.</summary>
internal interface ISimReplica
{
    ulong Id { get; }
    Replica? Replica { get; }
    SimStateMachine StateMachine { get; }
}
