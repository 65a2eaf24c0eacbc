using Coordinator.Protocol.Internal;
using Google.Protobuf;

namespace Coordinator.Gateway.Services;

/// <summary>Submits one write through Raft: validated first so a bad request never enters the log, then
/// proposed; the applied result is the response, or the store's refusal is thrown.</summary>
public sealed class RaftProposer(ICoordinatorNode node)
{
    public async ValueTask<TResponse> ProposeAsync<TResponse>(RaftRequest request, CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>
    {
        node.Store.Validator.Validate(request);
        // The caller (if any) travels with the entry: the store checks its permission when it applies it.
        if (Auth.CallAuth.Current is { } who) request.AuthHeader = who;
        // A call whose deadline already passed (or whose client left) must not enter the log.
        cancellationToken.ThrowIfCancellationRequested();
        var result = await node.ProposeAsync(request, cancellationToken);
        if (result.Error is { } error) throw error;
        return result.Response as TResponse
            ?? throw new InvalidOperationException(
                $"applying {request.CommandCase} returned {result.Response?.GetType().Name ?? "nothing"}, not {typeof(TResponse).Name}");
    }
}
