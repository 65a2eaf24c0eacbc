using Orleans;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace Coordinator.Orleans.Streams;

/// <summary>One <see cref="KeyChange"/> on its way from a receiver to the stream's consumers.</summary>
[GenerateSerializer]
public sealed class KeyChangeBatchContainer : IBatchContainer
{
    public KeyChangeBatchContainer(StreamId streamId, KeyChange change, EventSequenceTokenV2 token)
    {
        StreamId = streamId;
        Change = change;
        Token = token;
    }

    [Id(0)] public StreamId StreamId { get; }

    [Id(1)] public KeyChange Change { get; }

    [Id(2)] public EventSequenceTokenV2 Token { get; }

    public StreamSequenceToken SequenceToken => Token;

    internal StreamPosition Position => new(Token.SequenceNumber, Token.EventIndex);

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        if (Change is T item) yield return Tuple.Create(item, (StreamSequenceToken)Token);
    }

    public bool ImportRequestContext() => false;

    public override string ToString() => $"{StreamId} {Change}";
}
