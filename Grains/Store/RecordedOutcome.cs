using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Grains.Store;

/// <summary>
/// The first result of an applied request, kept by the request session table to answer a duplicate with.
/// Owned by the store and never handed out as is: callers get <see cref="ApplyResult"/>s with copies (the
/// gateway fills headers in place). Immutable.
/// </summary>
public sealed class RecordedOutcome(RaftRequest.CommandOneofCase command, IMessage? response, StoreException? error)
{
    public RaftRequest.CommandOneofCase Command { get; } = command;
    public IMessage? Response { get; } = response;
    public StoreException? Error { get; } = error;

    internal void WriteTo(BinaryWriter writer)
    {
        writer.Write((int)Command);
        if (Error is { } e)
        {
            writer.Write((byte)2);
            writer.Write((int)e.Code);
            writer.Write(e.Message);
        }
        else if (Response is null) writer.Write((byte)0);
        else
        {
            // Kind 3 names the message type: one command (Auth) answers with several types.
            writer.Write((byte)3);
            writer.Write(Response.Descriptor.FullName);
            var bytes = Response.ToByteArray();
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }
    }

    internal static RecordedOutcome ReadFrom(BinaryReader reader)
    {
        var command = (RaftRequest.CommandOneofCase)reader.ReadInt32();
        switch (reader.ReadByte())
        {
            case 0:
                return new RecordedOutcome(command, null, null);
            case 1: // written before kind 3: the command decides the type
                return new RecordedOutcome(command, ParserFor(command).ParseFrom(ReadResponseBytes(reader)), null);
            case 3:
                var type = reader.ReadString();
                var descriptor = ResponseTypes.Find(type) ?? throw new InvalidDataException($"no recorded response type {type}");
                return new RecordedOutcome(command, descriptor.Parser.ParseFrom(ReadResponseBytes(reader)), null);
            case 2:
                var code = (StatusCode)reader.ReadInt32();
                return new RecordedOutcome(command, null, new StoreException(code, reader.ReadString()));
            default:
                throw new InvalidDataException("bad recorded outcome kind");
        }
    }

    private static byte[] ReadResponseBytes(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length < 0) throw new InvalidDataException("bad recorded response length");
        var bytes = reader.ReadBytes(length);
        return bytes.Length == length ? bytes : throw new EndOfStreamException();
    }

    /// <summary>Every response type an applied command can answer with.</summary>
    private static readonly Google.Protobuf.Reflection.TypeRegistry ResponseTypes = Google.Protobuf.Reflection.TypeRegistry.FromFiles(
        RpcReflection.Descriptor, AuthRaftReflection.Descriptor, SiloTableReflection.Descriptor, V2Reflection.Descriptor);

    private static MessageParser ParserFor(RaftRequest.CommandOneofCase command) => command switch
    {
        RaftRequest.CommandOneofCase.Range => RangeResponse.Parser,
        RaftRequest.CommandOneofCase.Put => PutResponse.Parser,
        RaftRequest.CommandOneofCase.DeleteRange => DeleteRangeResponse.Parser,
        RaftRequest.CommandOneofCase.Txn => TxnResponse.Parser,
        RaftRequest.CommandOneofCase.Compaction => CompactionResponse.Parser,
        RaftRequest.CommandOneofCase.LeaseGrant => LeaseGrantResponse.Parser,
        RaftRequest.CommandOneofCase.LeaseRevoke => LeaseRevokeResponse.Parser,
        RaftRequest.CommandOneofCase.LeaseCheckpoint => LeaseCheckpointResponse.Parser,
        _ => throw new InvalidDataException($"no recorded response for {command}"),
    };
}
