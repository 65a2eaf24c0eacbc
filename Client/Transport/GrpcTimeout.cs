namespace Coordinator.Client.Transport;

/// <summary>The <c>grpc-timeout</c> header: at most 8 digits and a unit.</summary>
internal static class GrpcTimeout
{
    public static string Format(TimeSpan timeout)
    {
        var ms = Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds));
        return ms <= 99_999_999 ? ms + "m" : Math.Min(99_999_999, ms / 1000) + "S";
    }
}
