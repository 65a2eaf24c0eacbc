namespace Coordinator.Tests.Integration.V2;

internal static class V2ClusterReady
{
    /// <summary>Starts the cluster and waits until every member has published its client URLs (etcdctl v2
    /// dials the published URLs; etcd serves clients only once it has published).</summary>
    public static async Task StartPublishedAsync(this TestCluster cluster)
    {
        await cluster.StartAsync();
        using var curl = new V2Curl();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var members = (await curl.GetAsync(cluster.Members[0].ClientUrl + "/v2/members")).Json.GetProperty("members");
                if (members.GetArrayLength() == cluster.Members.Count &&
                    members.EnumerateArray().All(m => m.GetProperty("clientURLs").GetArrayLength() > 0)) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("members did not publish their client URLs");
    }
}
