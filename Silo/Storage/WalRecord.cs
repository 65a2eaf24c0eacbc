namespace Coordinator.Silo.Storage;

/// <summary>One decoded frame: its type, its payload (a slice of the segment buffer) and where it starts.</summary>
public readonly record struct WalRecord(WalRecordType Type, ReadOnlyMemory<byte> Payload, long Offset, int FrameLength);
