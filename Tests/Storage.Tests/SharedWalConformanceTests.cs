using Coordinator.Grains.Raft;
using Coordinator.Silo.Storage;
using Xunit;
using static Coordinator.Tests.Storage.LogStates;

namespace Coordinator.Tests.Storage;

/// <summary>
/// The conformance suite against one group's view of a shared log that other groups write too: a quiet
/// neighbour whose records sit between the tested group's, or (<see cref="BusySharedWalConformanceTests"/>)
/// several neighbours saving and snapshotting concurrently the whole time. Each neighbour keeps a model of
/// what it wrote and checks its group against it before every close and after every reopen.
/// </summary>
public class SharedWalConformanceTests : LogStorageConformance, IDisposable
{
    private const ulong TestedGroup = 7;
    private readonly TempDirectory _dir = new();
    private SharedWriteAheadLog? _log;
    private WriteAheadLog? _tested;
    private readonly List<Neighbour> _neighbours = new();

    protected virtual IReadOnlyList<ulong> BusyNeighbours => [];

    private WalOptions Options => new() { DataDir = _dir.Path, SegmentSizeBytes = 1024, EntryCacheBytes = 0, RetainSnapshots = 1 };

    protected override IRaftLogStorage Create()
    {
        OpenAll(first: true);
        return _tested!;
    }

    protected override IRaftLogStorage? Reopen(IRaftLogStorage storage)
    {
        Assert.Same(_tested, storage);
        CloseAll();
        OpenAll(first: false);
        return _tested;
    }

    private void OpenAll(bool first)
    {
        _log = SharedWriteAheadLog.Open(Options);
        if (first)
        {
            _neighbours.Add(new Neighbour(3, busy: false));
            foreach (var g in BusyNeighbours) _neighbours.Add(new Neighbour(g, busy: true));
        }
        foreach (var n in _neighbours) n.Start(_log);
        _tested = _log.OpenGroup(TestedGroup);
    }

    private void CloseAll()
    {
        foreach (var n in _neighbours) n.Stop();
        _tested!.Dispose();
        _log!.Dispose();
    }

    public void Dispose()
    {
        try { CloseAll(); }
        finally { _dir.Dispose(); }
    }

    /// <summary>A group beside the tested one. A quiet one writes a few entries once; a busy one appends,
    /// commits and snapshots on a thread of its own until stopped.</summary>
    private sealed class Neighbour(ulong group, bool busy)
    {
        private readonly MemoryLogStorage _model = new();
        private WriteAheadLog? _view;
        private CancellationTokenSource? _stop;
        private Task? _writer;

        public void Start(SharedWriteAheadLog log)
        {
            _view = log.OpenGroup(group);
            Assert.Equal(Describe(_model), Describe(_view));
            if (!busy)
            {
                if (_model.LastIndex == 0) Both(s => s.Save(new HardState(1, 1, 0), Range(1, 4, 1)));
                return;
            }
            _stop = new CancellationTokenSource();
            var token = _stop.Token;
            _writer = Task.Run(() =>
            {
                while (!token.IsCancellationRequested)
                {
                    var next = _model.LastIndex + 1;
                    Both(s => s.Save(new HardState(2, 1, next - 1), [E(next, 2, $"g{group}-{next}")]));
                    if (next % 16 == 0) Both(s => s.CreateSnapshot(next - 4, Membership.OfVoters(1), BitConverter.GetBytes(next)));
                }
            });
        }

        private void Both(Action<IRaftLogStorage> write)
        {
            write(_view!);
            write(_model);
        }

        public void Stop()
        {
            _stop?.Cancel();
            _writer?.GetAwaiter().GetResult();
            Assert.Equal(Describe(_model), Describe(_view!));
            _view!.Dispose();
        }
    }
}

public sealed class BusySharedWalConformanceTests : SharedWalConformanceTests
{
    protected override IReadOnlyList<ulong> BusyNeighbours => [1, 2, 4];
}
