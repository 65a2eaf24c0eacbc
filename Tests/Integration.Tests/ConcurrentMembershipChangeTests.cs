using Coordinator.Client;
using Xunit;

namespace Coordinator.Tests.Integration;

/// <summary>Membership changes sent at the same moment are applied one after another: Raft admits one change
/// at a time, and a change that meets another in flight waits for it instead of failing.</summary>
[Trait("Category", "Integration")]
public sealed class ConcurrentMembershipChangeTests : IDisposable
{
    private readonly TestCluster _cluster = new(3);
    public void Dispose() => _cluster.Dispose();

    private string Output => string.Join("\n---\n", _cluster.Members.Select(m => m.Name + ":\n" + m.Output));

    [Fact]
    public async Task Changes_sent_together_all_apply_and_one_that_no_longer_fits_gets_its_own_error()
    {
        await _cluster.StartAsync();
        await using var client = new CoordinatorClient(_cluster.Members[0].Endpoint);
        var learner = await client.MemberAddAsync(["http://127.0.0.1:1"], isLearner: true);

        // Rounds of a removal and an addition sent together: both are valid in either order, so both succeed.
        for (var round = 0; round < 3; round++)
        {
            var remove = client.MemberRemoveAsync(learner.Member.ID);
            var add = client.MemberAddAsync([$"http://127.0.0.1:{10 + round}"]);
            await Task.WhenAll(remove, add).WaitAsync(TimeSpan.FromSeconds(30));
            var added = add.Result.Member.ID;
            var members = (await client.MemberListAsync()).Members;
            Assert.DoesNotContain(members, m => m.ID == learner.Member.ID);
            Assert.Contains(members, m => m.ID == added && !m.IsLearner);

            learner = await client.MemberAddAsync([$"http://127.0.0.1:{20 + round}"], isLearner: true);
            await client.MemberRemoveAsync(added);
        }

        await client.MemberRemoveAsync(learner.Member.ID);

        // Two learners sent together: one is admitted, the other is refused for what it is, not for the timing.
        var first = client.MemberAddAsync(["http://127.0.0.1:31"], isLearner: true);
        var second = client.MemberAddAsync(["http://127.0.0.1:32"], isLearner: true);
        var error = await Assert.ThrowsAsync<CoordinatorException>(() => Task.WhenAll(first, second));
        Assert.True(error.Detail == "etcdserver: too many learner members in cluster", $"{error.Detail}\n{Output}");
        Assert.Equal(4, (await client.MemberListAsync()).Members.Count);
        Assert.Equal(0, (await Etcdctl.RunAsync(_cluster.Endpoints, "put", "still", "writable")).ExitCode);
    }
}
