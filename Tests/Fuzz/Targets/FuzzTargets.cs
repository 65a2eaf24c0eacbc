namespace Coordinator.Fuzz;

public static class FuzzTargets
{
    /// <summary>Every target by name. Factories, not instances: under SharpFuzz no instrumented code may run before
    /// the fuzzer starts, and targets with state keep it across inputs, as a member does.</summary>
    public static IReadOnlyDictionary<string, Func<IFuzzTarget>> All { get; } = new Dictionary<string, Func<IFuzzTarget>>
    {
        ["peer-frames"] = () => new PeerFrameTarget(),
        ["raft-entry"] = () => new RaftEntryTarget(),
        ["grpc-messages"] = () => new GrpcMessageTarget(),
        ["v2-http"] = () => new V2HttpTarget(),
    };
}
