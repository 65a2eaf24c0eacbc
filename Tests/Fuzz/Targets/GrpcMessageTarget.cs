using System.Buffers.Binary;
using System.Net.Http.Headers;
using Etcdserverpb;
using Google.Protobuf;

namespace Coordinator.Fuzz;

/// <summary>
/// gRPC requests to a real member, as a client's bytes reach it: input byte 0 picks the method, byte 1 the framing
/// (compressed flag, a length prefix that lies), the rest is the request message. Whatever it is, the member must
/// answer with a gRPC status etcd uses — never UNKNOWN except with etcd's own texts where etcd does the same (anything else is an exception no mapping covers), never INTERNAL except
/// grpc-go's unmarshalling and compression texts or for a frame whose prefix lies, never a broken HTTP/2 exchange — and a request it refuses
/// changes nothing (the revision stays, unless a lease it granted may have expired). Afterwards it still writes and reads back a probe key.
/// Membership changes are left out (an added member that never starts takes the quorum away, by design).
/// </summary>
public sealed class GrpcMessageTarget : IFuzzTarget, IDisposable
{
    private static readonly (string Path, bool Writes, bool Blocks)[] Methods =
    [
        ("/etcdserverpb.KV/Range", false, false),
        ("/etcdserverpb.KV/Put", true, false),
        ("/etcdserverpb.KV/DeleteRange", true, false),
        ("/etcdserverpb.KV/Txn", true, false),
        ("/etcdserverpb.KV/Compact", true, false),
        ("/etcdserverpb.Lease/LeaseGrant", true, false),
        ("/etcdserverpb.Lease/LeaseRevoke", true, false),
        ("/etcdserverpb.Lease/LeaseTimeToLive", false, false),
        ("/etcdserverpb.Lease/LeaseLeases", false, false),
        ("/etcdserverpb.Lease/LeaseKeepAlive", false, true),
        ("/etcdserverpb.Watch/Watch", false, true),
        ("/etcdserverpb.Cluster/MemberList", false, false),
        ("/etcdserverpb.Maintenance/Status", false, false),
        ("/etcdserverpb.Maintenance/HashKV", false, false),
        ("/etcdserverpb.Maintenance/Alarm", true, false),
        ("/etcdserverpb.Maintenance/MoveLeader", false, false),
        ("/v3lockpb.Lock/Lock", true, true),
        ("/v3lockpb.Lock/Unlock", true, false),
        ("/v3electionpb.Election/Campaign", true, true),
        ("/v3electionpb.Election/Proclaim", true, false),
        ("/v3electionpb.Election/Leader", false, false),
        ("/v3electionpb.Election/Resign", true, false),
        ("/grpc.health.v1.Health/Check", false, false),
        ("/grpc.health.v1.Health/Watch", false, true),
    ];

    private InProcessMember? _member;
    private long _probes;

    public string Name => "grpc-messages";

    /// <summary>Each input is a few loopback round trips, not a function call: fewer random rounds in CI.</summary>
    public int CiRounds => 2_000;

    public static string MethodPath(int selector) => Methods[selector % Methods.Length].Path;
    public static int MethodCount => Methods.Length;

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2) return;
        _member ??= new InProcessMember();
        var (path, writes, blocks) = Methods[input[0] % Methods.Length];
        var framing = input[1];
        var message = input[2..].ToArray();
        var before = Revision();

        var (http, status, text) = Call(path, Frame(message, framing), blocks ? "300m" : "5S");
        if (http != 200) throw new InvalidOperationException($"{path}: HTTP {http} instead of a gRPC status");
        if (status is null) throw new InvalidOperationException($"{path}: no grpc-status");
        // etcd itself answers UNKNOWN with its own text in places (Lock on a missing lease or on one that expires
        // while it waits: "session: session is expired"; auth refusals of maintenance calls); any other UNKNOWN is
        // an exception no mapping covers.
        if (status == 2 && !text.StartsWith("etcdserver: ", StringComparison.Ordinal) && !text.StartsWith("auth: ", StringComparison.Ordinal) && !text.StartsWith("election: ", StringComparison.Ordinal) && text != "session: session is expired" && text != "\"leader\" field must be provided") throw new InvalidOperationException($"{path}: UNKNOWN ({text}): an exception escaped the handler");
        var lied = ((framing >> 1) & 3) != 0 || (framing & 1) != 0;
        if (status == 13 && !lied && !text.StartsWith("grpc: error unmarshalling request", StringComparison.Ordinal) && !text.Contains("compress", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"{path}: INTERNAL ({text})");
        if (status != 0 && !blocks && Revision() != before && !AnyLease())
            throw new InvalidOperationException($"{path}: refused with {status} ({text}) but the revision moved");
        if (writes && status == 0) DisarmAlarms();
        Probe();
    }

    /// <summary>The 5-byte gRPC prefix (compressed flag, big-endian length) before the message; framing bit 0 sets
    /// the compressed flag, bits 1–2 make the declared length lie (longer, shorter, zero).</summary>
    private static byte[] Frame(byte[] message, byte framing)
    {
        var length = ((framing >> 1) & 3) switch
        {
            1 => message.Length + 1 + framing % 7,
            2 => Math.Max(0, message.Length - 1),
            3 when framing > 0xF0 => 0,
            _ => message.Length,
        };
        var frame = new byte[5 + message.Length];
        frame[0] = (byte)(framing & 1);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)length);
        message.CopyTo(frame, 5);
        return frame;
    }

    private (int Http, int? Status, string Text) Call(string path, byte[] body, string timeout)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body), Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-timeout", timeout);
        using var response = _member!.Http2.SendAsync(request, HttpCompletionOption.ResponseContentRead).GetAwaiter().GetResult();
        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
            : response.Headers.TryGetValues(name, out var h) ? h.First() : null;
        var status = int.TryParse(Header("grpc-status"), out var s) ? s : (int?)null;
        return ((int)response.StatusCode, status, Uri.UnescapeDataString(Header("grpc-message") ?? ""));
    }

    private byte[] Unary<T>(string path, T message) where T : IMessage
    {
        var payload = message.ToByteArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Frame(payload, 0)), Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = _member!.Http2.SendAsync(request, HttpCompletionOption.ResponseContentRead).GetAwaiter().GetResult();
        var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.First()
            : response.Headers.TryGetValues("grpc-status", out var h) ? h.First() : "?";
        if (status != "0")
        {
            var text = response.TrailingHeaders.TryGetValues("grpc-message", out var m) ? m.First() : response.Headers.TryGetValues("grpc-message", out var hm) ? hm.First() : "";
            throw new InvalidOperationException($"probe {path} failed with grpc-status {status} ({Uri.UnescapeDataString(text)})");
        }
        return body.Length >= 5 ? body[5..] : [];
    }

    private long Revision() =>
        RangeResponse.Parser.ParseFrom(Unary("/etcdserverpb.KV/Range", new RangeRequest { Key = ByteString.CopyFromUtf8("\u0001probe"), Serializable = true, CountOnly = true })).Header.Revision;

    /// <summary>A lease the input granted may expire at any time and delete its keys: a moved revision then
    /// proves nothing.</summary>
    private bool AnyLease() =>
        LeaseLeasesResponse.Parser.ParseFrom(Unary("/etcdserverpb.Lease/LeaseLeases", new LeaseLeasesRequest())).Leases.Count > 0;

    private void DisarmAlarms() =>
        Unary("/etcdserverpb.Maintenance/Alarm", new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Deactivate, MemberID = 0, Alarm = AlarmType.None });

    private void Probe()
    {
        var key = ByteString.CopyFromUtf8("\u0001probe");
        var value = ByteString.CopyFromUtf8($"v{++_probes}");
        Unary("/etcdserverpb.KV/Put", new PutRequest { Key = key, Value = value });
        var read = RangeResponse.Parser.ParseFrom(Unary("/etcdserverpb.KV/Range", new RangeRequest { Key = key }));
        if (read.Kvs.Count != 1 || read.Kvs[0].Value != value) throw new InvalidOperationException("the member no longer reads back what it wrote");
    }

    public void Dispose() => _member?.Dispose();
}
