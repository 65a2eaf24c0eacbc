using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace Coordinator.Silo.Orleans;

/// <summary>
/// Before a member's silo joins, every row its member wrote in an earlier life (same silo name, which is the
/// member's unique name) is declared Dead. The process that wrote it is gone — this member owns its data dir,
/// and its new silo has not inserted its own row yet — so nothing is lost by saying so, while leaving it Active
/// would make the new silo wait out Orleans' connectivity check (minutes) for a silo that cannot answer.
/// Each update is conditional on the row's etag and the table version; a conflict just reads again.
/// </summary>
internal static class EarlierIncarnations
{
    private const int Attempts = 10;

    public static async Task DeclareDeadAsync(IMembershipTable table, string siloName, ILogger logger, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var data = await table.ReadAll();
            var earlier = data.Members.FirstOrDefault(m => m.Item1.SiloName == siloName && m.Item1.Status != SiloStatus.Dead);
            if (earlier is null) return;
            var (entry, etag) = earlier;
            entry.Status = SiloStatus.Dead;
            if (await table.UpdateRow(entry, etag, data.Version.Next()))
                logger.LogInformation("silo {Address} of an earlier run of this member declared dead", entry.SiloAddress);
        }
        logger.LogWarning("earlier silos of this member could not be declared dead after {Attempts} attempts; Orleans will find them dead", Attempts);
    }
}
