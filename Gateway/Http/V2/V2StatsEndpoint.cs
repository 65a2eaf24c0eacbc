using System.Text;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Gateway.Http.V2;

/// <summary>etcd's <c>/v2/stats/self</c>, <c>/v2/stats/leader</c> (403 "not current leader" on a follower) and
/// <c>/v2/stats/store</c>, as json.Marshal writes them (no trailing newline).</summary>
public sealed class V2StatsEndpoint(IV2Node node, V2WatcherHub hub)
{
    public Task SelfAsync(HttpContext context)
    {
        if (!V2Http.AllowMethod(context, "GET")) return V2Http.MethodNotAllowed(context);
        return WriteJson(context, Self(node.SelfStats(), DateTime.UtcNow));
    }

    public Task LeaderAsync(HttpContext context)
    {
        if (!V2Http.AllowMethod(context, "GET")) return V2Http.MethodNotAllowed(context);
        var stats = node.LeaderStats();
        if (stats is null) return V2Http.HttpError(context, 403, "not current leader");
        return WriteJson(context, Leader(stats));
    }

    public Task StoreAsync(HttpContext context)
    {
        if (!V2Http.AllowMethod(context, "GET")) return V2Http.MethodNotAllowed(context);
        var s = node.V2Store.Stats;
        var b = new StringBuilder("{");
        void Field(string name, long value, bool last = false) => b.Append('"').Append(name).Append("\":").Append(value).Append(last ? "" : ",");
        Field("getsSuccess", s.GetsSuccess); Field("getsFail", s.GetsFail);
        Field("setsSuccess", s.SetsSuccess); Field("setsFail", s.SetsFail);
        Field("deleteSuccess", s.DeleteSuccess); Field("deleteFail", s.DeleteFail);
        Field("updateSuccess", s.UpdateSuccess); Field("updateFail", s.UpdateFail);
        Field("createSuccess", s.CreateSuccess); Field("createFail", s.CreateFail);
        Field("compareAndSwapSuccess", s.CompareAndSwapSuccess); Field("compareAndSwapFail", s.CompareAndSwapFail);
        Field("compareAndDeleteSuccess", s.CompareAndDeleteSuccess); Field("compareAndDeleteFail", s.CompareAndDeleteFail);
        Field("expireCount", s.ExpireCount); Field("watchers", hub.Count, last: true);
        return WriteJson(context, b.Append('}').ToString());
    }

    /// <summary>etcd's serverStats JSON; rates appear only when non-zero.</summary>
    public static string Self(V2SelfStats s, DateTime now)
    {
        var b = new StringBuilder("{\"name\":");
        GoJson.String(b, s.Name);
        b.Append(",\"id\":\"").Append(V2Http.Id(s.Id)).Append("\",\"state\":\"").Append(s.State)
            .Append("\",\"startTime\":\"").Append(GoJson.Time(s.StartTime))
            .Append("\",\"leaderInfo\":{\"leader\":\"").Append(s.LeaderId == 0 ? "" : V2Http.Id(s.LeaderId))
            .Append("\",\"uptime\":\"").Append(GoJson.Duration(now - s.LeaderStartTime))
            .Append("\",\"startTime\":\"").Append(GoJson.Time(s.LeaderStartTime)).Append("\"}");
        b.Append(",\"recvAppendRequestCnt\":").Append(s.RecvAppendRequestCnt);
        if (s.RecvPkgRate != 0) b.Append(",\"recvPkgRate\":").Append(GoJson.Float(s.RecvPkgRate));
        if (s.RecvBandwidthRate != 0) b.Append(",\"recvBandwidthRate\":").Append(GoJson.Float(s.RecvBandwidthRate));
        b.Append(",\"sendAppendRequestCnt\":").Append(s.SendAppendRequestCnt);
        if (s.SendPkgRate != 0) b.Append(",\"sendPkgRate\":").Append(GoJson.Float(s.SendPkgRate));
        if (s.SendBandwidthRate != 0) b.Append(",\"sendBandwidthRate\":").Append(GoJson.Float(s.SendBandwidthRate));
        return b.Append('}').ToString();
    }

    /// <summary>etcd's leaderStats JSON: followers keyed by id in key order (Go sorts map keys).</summary>
    public static string Leader(V2LeaderStats s)
    {
        var b = new StringBuilder("{\"leader\":\"").Append(V2Http.Id(s.LeaderId)).Append("\",\"followers\":{");
        var first = true;
        foreach (var f in s.Followers.OrderBy(f => V2Http.Id(f.Id), StringComparer.Ordinal))
        {
            if (!first) b.Append(',');
            first = false;
            b.Append('"').Append(V2Http.Id(f.Id)).Append("\":{\"latency\":{\"current\":").Append(GoJson.Float(f.Current))
                .Append(",\"average\":").Append(GoJson.Float(f.Average))
                .Append(",\"standardDeviation\":").Append(GoJson.Float(f.StandardDeviation))
                .Append(",\"minimum\":").Append(GoJson.Float(f.Minimum))
                .Append(",\"maximum\":").Append(GoJson.Float(f.Maximum))
                .Append("},\"counts\":{\"fail\":").Append(f.Fail).Append(",\"success\":").Append(f.Success).Append("}}");
        }
        return b.Append("}}").ToString();
    }

    private static Task WriteJson(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        return V2Http.Write(context, body);
    }
}
