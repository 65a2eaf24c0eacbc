using System.Collections.Concurrent;
using System.Diagnostics;

namespace Coordinator.Tests.Integration.Faults;

public enum OpKind { Put, Get, Cas }

/// <summary>Ok: the server answered. Fail: it answered with an error (the op did not happen). Unknown: no answer
/// (a timeout or a broken connection): the op may or may not have taken effect, now or later.</summary>
public enum OpOutcome { Ok, Fail, Unknown }

/// <summary>One client operation on a register key. Values written are unique in the whole history.
/// Times are the test process's monotonic clock (one process records every operation).</summary>
public sealed record Operation(int Client, OpKind Kind, string Key, string? Value, string? Expected, long InvokedTicks)
{
    public long CompletedTicks { get; set; }
    public OpOutcome Outcome { get; set; } = OpOutcome.Unknown;
    /// <summary>Ok put or successful CAS: the revision it wrote. Ok get: the key's mod_revision (0 if absent).</summary>
    public long Revision { get; set; }
    /// <summary>Ok get: the value read (null if absent). Ok CAS: whether the compare held.</summary>
    public string? ReadValue { get; set; }
    public bool Succeeded { get; set; }
    public string? Error { get; set; }

    public override string ToString() =>
        $"c{Client} {Kind} {Key} {(Kind == OpKind.Cas ? $"{Expected}->" : "")}{Value ?? ""} {Outcome}" +
        (Outcome == OpOutcome.Ok ? $" rev={Revision}{(Kind == OpKind.Get ? $" read={ReadValue ?? "nil"}" : "")}{(Kind == OpKind.Cas ? $" ok={Succeeded}" : "")}" : $" {Error}") +
        $" [{InvokedTicks * 1000 / Stopwatch.Frequency}..{CompletedTicks * 1000 / Stopwatch.Frequency} ms]";
}

/// <summary>A put event from the server's own change history (a watch from revision 1).</summary>
public sealed record AppliedWrite(string Key, string Value, long Revision);

/// <summary>Every operation of a run, recorded by concurrent clients.</summary>
public sealed class RegisterHistory
{
    private readonly ConcurrentQueue<Operation> _ops = new();
    private readonly long _origin = Stopwatch.GetTimestamp();

    public Operation Invoke(int client, OpKind kind, string key, string? value = null, string? expected = null)
    {
        var op = new Operation(client, kind, key, value, expected, Stopwatch.GetTimestamp() - _origin);
        _ops.Enqueue(op);
        return op;
    }

    public void Complete(Operation op, OpOutcome outcome)
    {
        op.CompletedTicks = Stopwatch.GetTimestamp() - _origin;
        op.Outcome = outcome;
    }

    public IReadOnlyList<Operation> Operations => _ops.ToArray();
}
