using Coordinator.Tests.Integration.Faults;

namespace Coordinator.Tests.Nemesis;

public enum Linearizability { Linearizable, Violated, Unknown }

/// <summary>
/// Is one key's history of put / get / CAS operations linearizable? Wing and Gong's search with Lowe's
/// memoization, as porcupine and Knossos do it: walk the history in time order, try to linearize each call
/// that is minimal (invoked before every pending return), backtrack at a return whose call was not linearized,
/// and remember (linearized set, register value) pairs already explored. An operation with an unknown outcome
/// may take effect at any time after its invocation, or never. Keys are independent registers, so histories are
/// checked per key. The search has a budget: past it the answer is <see cref="Linearizability.Unknown"/>, never
/// a pass.
/// </summary>
public static class LinearizabilityChecker
{
    private sealed class Node
    {
        public Node? Prev, Next;
        public Operation? Op;      // null for the sentinel head
        public int OpIndex;
        public bool IsCall;
        public Node? Match;        // call -> its return, return -> its call
        public long Time;
    }

    public static (Linearizability Verdict, string Detail) Check(IReadOnlyList<Operation> history, long budget = 2_000_000)
    {
        // Failed operations did nothing; unknown reads constrain nothing.
        var ops = history.Where(o => o.Outcome == OpOutcome.Ok || (o.Outcome == OpOutcome.Unknown && o.Kind != OpKind.Get)).ToList();
        if (ops.Count == 0) return (Linearizability.Linearizable, "empty");

        var entries = new List<Node>();
        for (var i = 0; i < ops.Count; i++)
        {
            var call = new Node { Op = ops[i], OpIndex = i, IsCall = true, Time = ops[i].InvokedTicks };
            var ret = new Node { Op = ops[i], OpIndex = i, IsCall = false, Time = ops[i].Outcome == OpOutcome.Ok ? ops[i].CompletedTicks : long.MaxValue };
            call.Match = ret;
            ret.Match = call;
            entries.Add(call);
            entries.Add(ret);
        }
        // Calls before returns at equal times: operations that touch in time count as concurrent.
        entries.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : (a.IsCall == b.IsCall ? 0 : a.IsCall ? -1 : 1));
        var head = new Node();
        var tail = head;
        foreach (var e in entries) { tail.Next = e; e.Prev = tail; tail = e; }

        var linearized = new ulong[(ops.Count + 63) / 64];
        var seen = new HashSet<(ulong, ulong, string?)>();
        var stack = new Stack<(Node Call, string? State)>();
        string? state = null;
        long steps = 0;
        var entry = head.Next;
        var deepest = 0;
        while (entry is not null)
        {
            if (++steps > budget)
                return (Linearizability.Unknown, $"search budget of {budget} steps exhausted after {deepest} of {ops.Count} operations");
            if (entry.IsCall)
            {
                if (Step(state, entry.Op!) is (true, var next))
                {
                    Set(linearized, entry.OpIndex, true);
                    var (h1, h2) = Key(linearized);
                    if (seen.Add((h1, h2, next)))
                    {
                        stack.Push((entry, state));
                        state = next;
                        Lift(entry);
                        deepest = Math.Max(deepest, stack.Count);
                        entry = head.Next;
                        continue;
                    }
                    Set(linearized, entry.OpIndex, false);
                }
                entry = entry.Next;
            }
            else if (entry.Time == long.MaxValue)
            {
                // Only unknown operations are left unlinearized: they may never have happened.
                return (Linearizability.Linearizable, $"{ops.Count} operations");
            }
            else
            {
                if (stack.Count == 0)
                    return (Linearizability.Violated, $"no linearization reaches past {entry.Op} (deepest prefix: {deepest} of {ops.Count} operations)");
                var (call, previous) = stack.Pop();
                state = previous;
                Set(linearized, call.OpIndex, false);
                Unlift(call);
                entry = call.Next;
            }
        }
        return (Linearizability.Linearizable, $"{ops.Count} operations");
    }

    /// <summary>The register: a put sets it; a get must see it; a CAS that succeeded saw its expected value and
    /// set its new one, one that failed saw another; an unknown CAS either succeeded or did nothing.</summary>
    private static (bool Ok, string? Next) Step(string? state, Operation op) => op.Kind switch
    {
        OpKind.Put => (true, op.Value),
        OpKind.Get => (state == op.ReadValue, state),
        OpKind.Cas when op.Outcome == OpOutcome.Unknown => (state == op.Expected, op.Value),
        OpKind.Cas when op.Succeeded => (state == op.Expected, op.Value),
        OpKind.Cas => (state != op.Expected, state),
        _ => (false, state),
    };

    private static void Lift(Node call)
    {
        call.Prev!.Next = call.Next;
        call.Next!.Prev = call.Prev;
        var ret = call.Match!;
        ret.Prev!.Next = ret.Next;
        if (ret.Next is not null) ret.Next.Prev = ret.Prev;
    }

    private static void Unlift(Node call)
    {
        var ret = call.Match!;
        ret.Prev!.Next = ret;
        if (ret.Next is not null) ret.Next.Prev = ret;
        call.Prev!.Next = call;
        call.Next!.Prev = call;
    }

    private static void Set(ulong[] bits, int i, bool on)
    {
        if (on) bits[i >> 6] |= 1UL << (i & 63);
        else bits[i >> 6] &= ~(1UL << (i & 63));
    }

    /// <summary>A 128-bit fingerprint of the linearized set (two independent 64-bit mixes): a collision would
    /// prune a branch unexplored, so it has to be vanishingly unlikely, not merely rare.</summary>
    private static (ulong, ulong) Key(ulong[] bits)
    {
        ulong a = 0x9E3779B97F4A7C15UL, b = 0xC2B2AE3D27D4EB4FUL;
        foreach (var w in bits)
        {
            a = Mix(a ^ w);
            b = Mix(b + w * 0xFF51AFD7ED558CCDUL);
        }
        return (a, b);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
