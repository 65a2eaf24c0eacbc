using System.Diagnostics;
using Coordinator.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Coordinator.Recipes;

/// <summary>Healthy when a linearizable read (count-only range of one key, like etcd's /health) completes within
/// the timeout: it needs a leader and a quorum, so it fails when the cluster cannot serve consistent reads.</summary>
public sealed class CoordinatorHealthCheck(CoordinatorClient client, TimeSpan timeout) : IHealthCheck
{
    public const string ProbeKey = "health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            var read = await client.GetRangeAsync(ProbeKey, new RangeOptions { CountOnly = true }, deadline.Token).ConfigureAwait(false);
            var data = new Dictionary<string, object>
            {
                ["revision"] = read.Header.Revision,
                ["member"] = read.Header.MemberId,
                ["latencyMs"] = watch.Elapsed.TotalMilliseconds,
            };
            return HealthCheckResult.Healthy($"linearizable read in {watch.ElapsedMilliseconds} ms", data);
        }
        catch (Exception e) when (e is CoordinatorException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"linearizable read failed after {watch.ElapsedMilliseconds} ms", e);
        }
    }
}
