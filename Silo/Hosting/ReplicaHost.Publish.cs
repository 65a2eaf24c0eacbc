using Coordinator.Protocol.Internal;

namespace Coordinator.Silo.Hosting;

public sealed partial class ReplicaHost
{
    private bool _published;      // loop: our client URLs are in the member table
    private long _lastPublishAt;  // loop

    /// <summary>Loop: once a leader exists, announce our name and client URLs (retried until applied).</summary>
    private void TickPublish()
    {
        if (_published || LeaderId == 0 || Now - _lastPublishAt < 1000) return;
        _lastPublishAt = Now;
        var publish = new MemberPublish { MemberId = MemberId, Name = _options.Name };
        publish.ClientUrls.AddRange(_options.ClientUrls);
        ProposeInternal(new RaftRequest { Publish = publish });
    }
}
