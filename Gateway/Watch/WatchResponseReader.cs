using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Etcdserverpb;

namespace Coordinator.Gateway.Watch;

/// <summary>
/// The reading side of a stream's buffer: every response taken out frees budget, and may let the hub
/// resume watches it had to stop feeding live.
/// </summary>
internal sealed class WatchResponseReader(ChannelReader<WatchResponse> inner, WatchStream owner) : ChannelReader<WatchResponse>
{
    public override Task Completion => inner.Completion;

    public override bool CanCount => true;

    public override int Count => inner.Count;

    public override bool CanPeek => inner.CanPeek;

    public override bool TryPeek([MaybeNullWhen(false)] out WatchResponse item) => inner.TryPeek(out item);

    public override bool TryRead([MaybeNullWhen(false)] out WatchResponse item)
    {
        if (!inner.TryRead(out item)) return false;
        owner.OnResponseTaken();
        return true;
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
        inner.WaitToReadAsync(cancellationToken);
}
