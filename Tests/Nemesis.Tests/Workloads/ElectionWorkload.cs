using System.Collections.Concurrent;
using V3electionpb;

namespace Coordinator.Tests.Nemesis;

/// <summary>Candidates campaign in one election through the Election service, proclaim once elected, then resign.
/// Checked by <see cref="ElectionChecker"/> against the server's history of the election's keys.</summary>
internal sealed class ElectionWorkload(NemesisCluster cluster, int clients) : IWorkload
{
    public const string Prefix = "/nemesis/election/";
    private const string ElectionName = Prefix + "e";

    private sealed record Term(int Client)
    {
        public LeaderKey? Leader;
        public long ElectedAt;
        public bool Proclaimed;
        public long ProclaimedAt;
        public string? Error;
        public override string ToString() => $"c{Client} key={Leader?.Key.ToStringUtf8()} rev={Leader?.Rev} elected@{ElectedAt} proclaimed={Proclaimed}@{ProclaimedAt} {Error}";
    }

    private readonly ConcurrentQueue<Term> _terms = new();

    public string Name => "election";

    public int CheckedOperations => _terms.Count(t => t.Leader is not null) + _terms.Count(t => t.Proclaimed);

    public async Task RunAsync(CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            await using var connection = new FollowingClient(cluster, c, TimeSpan.FromSeconds(3));
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var term = new Term(c);
                _terms.Enqueue(term);
                long lease = 0;
                // One connection for the whole term: proclaim and resign go where the campaign ran.
                var (client, services) = connection.WithServices;
                try
                {
                    lease = (await client.GrantAsync(5, ct: CancellationToken.None)).ID;
                    var campaign = await services.CampaignAsync(ElectionName, lease, $"c{c}-{n}", TimeSpan.FromSeconds(5), CancellationToken.None);
                    term.Leader = campaign.Leader;
                    term.ElectedAt = campaign.Header.Revision;
                    var proclaimed = await services.ProclaimAsync(campaign.Leader, $"c{c}-{n}-leading", TimeSpan.FromSeconds(3), CancellationToken.None);
                    term.Proclaimed = true;
                    term.ProclaimedAt = proclaimed.Header.Revision;
                    await services.ResignAsync(campaign.Leader, TimeSpan.FromSeconds(3), CancellationToken.None);
                }
                catch (Exception e)
                {
                    term.Error = e.GetType().Name + ": " + e.Message;
                    await Task.Delay(50, CancellationToken.None);
                }
                finally
                {
                    try { if (lease != 0) await client.RevokeAsync(lease, CancellationToken.None); }
                    catch (Exception) { /* the lease ends by itself */ }
                }
            }
        })));
    }

    public Task<IReadOnlyList<string>> CheckAsync(ServerHistory history, CancellationToken ct) =>
        Task.FromResult(ElectionChecker.Check(history.Under(ElectionName + "/").ToList(),
            _terms.Where(t => t.Leader is not null).Select(t => new ElectionTerm(t.Leader!.Key.ToStringUtf8(), t.ElectedAt, t.Proclaimed ? t.ProclaimedAt : null))));

    public IEnumerable<string> Describe() => _terms.Select(t => t.ToString());
}
