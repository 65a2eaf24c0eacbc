namespace Coordinator.Gateway.Grpc;

internal static class StreamCompletion
{
    /// <summary>Waits for a stream's writer; its failure (client gone, call cancelled) must not hide the
    /// handler's own outcome, which decides the status.</summary>
    public static async Task DrainQuietlyAsync(Task writer)
    {
        try { await writer; }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        catch (InvalidOperationException) { }
    }
}
