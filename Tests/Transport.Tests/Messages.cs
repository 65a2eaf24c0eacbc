using Coordinator.Grains.Raft;

namespace Coordinator.Tests.Transport;

/// <summary>Small Raft-shaped messages whose Index is a per-sender sequence number.</summary>
internal static class Messages
{
    public static Message Append(ulong from, ulong to, ulong sequence) => new()
    {
        Group = 1, Type = MessageType.Append, From = from, To = to, Term = 3, Index = sequence, LogTerm = 3,
        Commit = sequence, Entries = [new Entry(sequence + 1, 3, EntryType.Normal, BitConverter.GetBytes(sequence))],
    };

    public static Message Heartbeat(ulong from, ulong to, ulong context) => new()
    {
        Group = 1, Type = MessageType.Heartbeat, From = from, To = to, Term = 3, Context = context,
    };

    public static List<Message> Appends(ulong from, ulong to, int count, ulong first = 0) =>
        Enumerable.Range(0, count).Select(i => Append(from, to, first + (ulong)i)).ToList();
}
