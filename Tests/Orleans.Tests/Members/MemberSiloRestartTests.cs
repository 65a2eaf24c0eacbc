using System.Text.RegularExpressions;
using Coordinator.Tests.Integration;

namespace Coordinator.Orleans.Tests.Members;

/// <summary>
/// A member's silo after SIGTERM and after kill -9: SIGTERM stops it gracefully (it leaves its row dead itself);
/// after kill -9 the restarted member declares its earlier silo dead, so the new silo joins at once instead of
/// waiting minutes for Orleans' connectivity check to give up on a silo that cannot answer. Nothing to repair.
/// </summary>
public sealed class MemberSiloRestartTests : IDisposable
{
    /// <summary>Well under Orleans' own wait for an unreachable active silo (minutes), well over a loaded start.</summary>
    private static readonly TimeSpan Rejoin = TimeSpan.FromSeconds(60);
    private const string Active = "silo is active";
    private const string DeclaredDead = "of an earlier run of this member declared dead";
    private readonly TestCluster _cluster = new(1);

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task A_restart_after_sigterm_or_kill_9_rejoins_without_waiting_for_the_old_silo()
    {
        var member = _cluster.Members[0];
        await _cluster.StartAsync();
        await WaitForLinesAsync(member, Active, 1);

        member.Signal("TERM");
        await WaitForExitAsync(member);
        Assert.Equal(1, Count(member, "silo stopped"));

        member.Start();
        await WaitForLinesAsync(member, Active, 2);
        Assert.Equal(0, Count(member, DeclaredDead)); // the graceful stop wrote its own row dead

        member.Kill();
        member.Start();
        await WaitForLinesAsync(member, Active, 3);
        Assert.Equal(1, Count(member, DeclaredDead));
    }

    private static int Count(CoordinatorProcess member, string text) => Regex.Matches(member.Output, Regex.Escape(text)).Count;

    private static async Task WaitForLinesAsync(CoordinatorProcess member, string text, int count)
    {
        var deadline = DateTime.UtcNow + Rejoin;
        while (Count(member, text) < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"'{text}' not logged {count} times within {Rejoin}:\n{member.Output}");
            await Task.Delay(100);
        }
    }

    private static async Task WaitForExitAsync(CoordinatorProcess member)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (member.Running)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the member did not exit within 30 s of SIGTERM:\n{member.Output}");
            await Task.Delay(100);
        }
    }
}
