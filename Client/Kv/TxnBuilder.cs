using Coordinator.Client.Transport;
using Etcdserverpb;

namespace Coordinator.Client;

/// <summary>Fluent transaction: <c>client.Txn().If(...).Then(...).Else(...).CommitAsync()</c>.
/// If every guard holds, the Then ops run, else the Else ops; atomically, at one revision.</summary>
public sealed class TxnBuilder
{
    private readonly CoordinatorClient? _client;
    private readonly List<Compare> _guards = new();
    private readonly List<Op> _then = new();
    private readonly List<Op> _else = new();

    internal TxnBuilder(CoordinatorClient? client) => _client = client;

    /// <summary>A builder not bound to a client, for nesting with <see cref="Op.Txn"/>.</summary>
    public static TxnBuilder Nested() => new(null);

    public TxnBuilder If(params Compare[] guards) { _guards.AddRange(guards); return this; }

    public TxnBuilder Then(params Op[] ops) { _then.AddRange(ops); return this; }

    public TxnBuilder Else(params Op[] ops) { _else.AddRange(ops); return this; }

    public TxnRequest Build()
    {
        var request = new TxnRequest();
        request.Compare.AddRange(_guards.Select(g => g.Message));
        request.Success.AddRange(_then.Select(o => o.Message));
        request.Failure.AddRange(_else.Select(o => o.Message));
        return request;
    }

    public Task<TxnResponse> CommitAsync(CancellationToken ct = default)
    {
        if (_client is null) throw new InvalidOperationException("a nested transaction is committed by its parent");
        var request = Build();
        return _client.Invoker.UnaryAsync(IsReadOnly(request) ? EtcdMethods.ReadOnlyTxn : EtcdMethods.Txn, request, ct);
    }

    internal static bool IsReadOnly(TxnRequest txn) =>
        txn.Success.Concat(txn.Failure).All(op => op.RequestCase switch
        {
            RequestOp.RequestOneofCase.RequestRange => true,
            RequestOp.RequestOneofCase.RequestTxn => IsReadOnly(op.RequestTxn),
            _ => false,
        });
}
