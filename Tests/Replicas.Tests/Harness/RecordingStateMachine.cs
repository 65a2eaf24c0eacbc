using System.Text;
using Coordinator.Grains.Raft;
using Coordinator.Grains.Replicas;

namespace Coordinator.Replicas.Tests.Harness;

/// <summary>A state machine that records the payloads it applied, in order; its result is the payload's
/// position (1-based) in that order.</summary>
public sealed class RecordingStateMachine : IReplicaStateMachine
{
    private readonly List<string> _applied = new(); // guarded by itself: the test reads while the grain applies

    public IReadOnlyList<string> Applied
    {
        get { lock (_applied) return _applied.ToArray(); }
    }

    public byte[] Apply(Entry entry)
    {
        lock (_applied)
        {
            _applied.Add(Encoding.UTF8.GetString(entry.Data.Span));
            return BitConverter.GetBytes(_applied.Count);
        }
    }

    public byte[] Snapshot()
    {
        lock (_applied) return Encoding.UTF8.GetBytes(string.Join('\n', _applied));
    }

    public void Restore(Snapshot snapshot)
    {
        lock (_applied)
        {
            _applied.Clear();
            if (!snapshot.Data.IsEmpty) _applied.AddRange(Encoding.UTF8.GetString(snapshot.Data.Span).Split('\n'));
        }
    }
}
