#if DEBUG
using System.Text;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Test builds only (compiled in Debug, absent from Release): loses an outbound Raft message as a flaky network
/// does, so tests can show that a lost proposal is proposed again. It reads the control file of
/// <c>COORDINATOR_FAILPOINTS</c> (shared with <see cref="Storage.FailpointFileSystem"/>, at most every 100 ms):
/// <c>drop-proposal-with=TEXT</c> drops the next proposal this member forwards to its leader whose entries
/// contain TEXT (UTF-8; a key or a value), once. Writing another text arms it again.
/// </summary>
internal sealed class PeerMessageFailpoint(string controlFile)
{
    private const string DropProposalWith = "drop-proposal-with=";
    private readonly object _gate = new();
    private long _nextCheckAt; // Environment.TickCount64 ms; 0: read at the first call
    private string _mode = "";
    private byte[]? _marker; // armed while not null

    public static PeerMessageFailpoint? FromEnvironment() =>
        Environment.GetEnvironmentVariable("COORDINATOR_FAILPOINTS") is { Length: > 0 } path ? new PeerMessageFailpoint(path) : null;

    public IReadOnlyList<Message> Filter(IReadOnlyList<Message> messages)
    {
        lock (_gate)
        {
            var now = Environment.TickCount64;
            if (now >= _nextCheckAt)
            {
                _nextCheckAt = now + 100;
                string mode;
                try { mode = File.Exists(controlFile) ? File.ReadAllText(controlFile).Trim() : ""; }
                catch (IOException) { mode = _mode; }
                if (mode != _mode)
                {
                    _mode = mode;
                    _marker = mode.StartsWith(DropProposalWith, StringComparison.Ordinal) && mode.Length > DropProposalWith.Length
                        ? Encoding.UTF8.GetBytes(mode[DropProposalWith.Length..]) : null;
                }
            }
            if (_marker is not { } marker) return messages;
            var victim = messages.FirstOrDefault(m => m.Type == MessageType.Propose && m.Entries.Any(e => e.Data.Span.IndexOf(marker) >= 0));
            if (victim is null) return messages;
            _marker = null;
            return messages.Where(m => !ReferenceEquals(m, victim)).ToList();
        }
    }
}
#endif
