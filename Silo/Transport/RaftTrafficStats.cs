using System.Diagnostics;
using Coordinator.Grains.Raft;

namespace Coordinator.Silo.Transport;

/// <summary>
/// What etcd reports in /v2/stats/self and /v2/stats/leader, measured by this transport: append requests sent and
/// received (counts and rates) and, per follower, the round trip of an append — from the moment the leader queues
/// it to the moment the follower's acknowledgement of that index arrives — with success and failure counts
/// (a rejected or lost append, a broken stream, a full queue). Thread-safe.
/// </summary>
public sealed class RaftTrafficStats
{
    /// <summary>An append unanswered for this long is counted as failed and measuring starts over.</summary>
    private static readonly long ProbeTimeoutTicks = Stopwatch.Frequency * 5;

    private readonly Lock _gate = new();
    private readonly AppendRateWindow _sendRate = new(), _recvRate = new();
    private readonly Dictionary<ulong, Follower> _followers = new();
    private long _sent, _received;

    public long SendAppendRequestCount { get { lock (_gate) return _sent; } }
    public long RecvAppendRequestCount { get { lock (_gate) return _received; } }

    public (double Packages, double Bytes) SendRate() { lock (_gate) return _sendRate.Rate(Stopwatch.GetTimestamp()); }
    public (double Packages, double Bytes) RecvRate() { lock (_gate) return _recvRate.Rate(Stopwatch.GetTimestamp()); }

    /// <summary>A message is queued for a peer.</summary>
    internal void OnSend(Message message, long size)
    {
        if (message.Type != MessageType.Append) return;
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _sent++;
            _sendRate.Add(now, (int)Math.Min(size, int.MaxValue));
            var follower = FollowerLocked(message.To);
            if (follower.ProbeIndex != 0 && now - follower.ProbeSince > ProbeTimeoutTicks)
            {
                follower.Fail++;
                follower.ProbeIndex = 0;
            }
            if (follower.ProbeIndex == 0)
            {
                follower.ProbeIndex = message.Index + (ulong)message.Entries.Count;
                if (follower.ProbeIndex == 0) follower.ProbeIndex = 1;
                follower.ProbeSince = now;
            }
        }
    }

    /// <summary>A message arrived from a peer.</summary>
    internal void OnReceive(Message message, long size)
    {
        if (message.Type == MessageType.Append)
        {
            lock (_gate)
            {
                _received++;
                _recvRate.Add(Stopwatch.GetTimestamp(), (int)Math.Min(size, int.MaxValue));
            }
            return;
        }
        if (message.Type != MessageType.AppendResponse) return;
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (!_followers.TryGetValue(message.From, out var follower) || follower.ProbeIndex == 0) return;
            if (message.Reject)
            {
                follower.Fail++;
                follower.ProbeIndex = 0;
            }
            else if (message.Index >= follower.ProbeIndex)
            {
                follower.Succeed((double)(now - follower.ProbeSince) * 1000 / Stopwatch.Frequency);
                follower.ProbeIndex = 0;
            }
        }
    }

    /// <summary>An append could not be delivered (queue full, stream broke): a failure for that follower.</summary>
    internal void OnFailure(ulong peer)
    {
        lock (_gate)
        {
            if (!_followers.TryGetValue(peer, out var follower) || follower.ProbeIndex == 0) return;
            follower.Fail++;
            follower.ProbeIndex = 0;
        }
    }

    /// <summary>Per-follower figures: latency in milliseconds (etcd's LatencyStats) and counts.</summary>
    public IReadOnlyList<(ulong Id, double Current, double Average, double StandardDeviation, double Minimum, double Maximum, long Fail, long Success)> Followers()
    {
        lock (_gate)
            return _followers.Select(p => (p.Key, p.Value.Current, p.Value.Average, p.Value.StandardDeviation, p.Value.Minimum,
                p.Value.Maximum, p.Value.Fail, p.Value.Success)).ToList();
    }

    /// <summary>Makes sure a follower is listed (etcd lists every peer the leader replicates to).</summary>
    public void Track(ulong peer)
    {
        lock (_gate) FollowerLocked(peer);
    }

    private Follower FollowerLocked(ulong peer)
    {
        if (!_followers.TryGetValue(peer, out var follower)) _followers[peer] = follower = new Follower();
        return follower;
    }

    private sealed class Follower
    {
        public ulong ProbeIndex; // index awaited; 0 = no append being timed
        public long ProbeSince;
        public long Success, Fail;
        public double Current, Average, AverageSquare, StandardDeviation, Maximum;
        public double Minimum = 1UL << 63; // as etcd initializes it

        /// <summary>etcd's FollowerStats.Succ: running average and standard deviation.</summary>
        public void Succeed(double milliseconds)
        {
            var total = Success * Average;
            var totalSquare = Success * AverageSquare;
            Success++;
            Current = milliseconds;
            if (Current > Maximum) Maximum = Current;
            if (Current < Minimum) Minimum = Current;
            Average = (total + Current) / Success;
            AverageSquare = (totalSquare + Current * Current) / Success;
            StandardDeviation = Math.Sqrt(Math.Max(0, AverageSquare - Average * Average));
        }
    }
}
