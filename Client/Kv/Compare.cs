using Google.Protobuf;
using EtcdPb = Etcdserverpb;

namespace Coordinator.Client;

/// <summary>A transaction guard, written as a comparison: <c>Compare.Version("k") == 0</c>,
/// <c>Compare.Value("k") != "v"</c>, <c>Compare.ModRevision("k") &lt; 42</c>.</summary>
public sealed class Compare
{
    internal Compare(EtcdPb.Compare message) => Message = message;

    internal EtcdPb.Compare Message { get; }

    public static CompareOperand Version(KeyRange key) => new(key, EtcdPb.Compare.Types.CompareTarget.Version);

    public static CompareOperand CreateRevision(KeyRange key) => new(key, EtcdPb.Compare.Types.CompareTarget.Create);

    public static CompareOperand ModRevision(KeyRange key) => new(key, EtcdPb.Compare.Types.CompareTarget.Mod);

    public static CompareOperand Lease(KeyRange key) => new(key, EtcdPb.Compare.Types.CompareTarget.Lease);

    public static CompareValueOperand Value(KeyRange key) => new(key);

    public override string ToString() => Message.ToString();
}

/// <summary>The left side of a numeric comparison (version, create/mod revision, lease).</summary>
#pragma warning disable CS0660, CS0661 // operators build guards; equality of operands is not meaningful
public readonly struct CompareOperand
{
    private readonly KeyRange _key;
    private readonly EtcdPb.Compare.Types.CompareTarget _target;

    internal CompareOperand(KeyRange key, EtcdPb.Compare.Types.CompareTarget target)
    {
        _key = key;
        _target = target;
    }

    public static Compare operator ==(CompareOperand left, long right) => left.Build(EtcdPb.Compare.Types.CompareResult.Equal, right);
    public static Compare operator !=(CompareOperand left, long right) => left.Build(EtcdPb.Compare.Types.CompareResult.NotEqual, right);
    public static Compare operator <(CompareOperand left, long right) => left.Build(EtcdPb.Compare.Types.CompareResult.Less, right);
    public static Compare operator >(CompareOperand left, long right) => left.Build(EtcdPb.Compare.Types.CompareResult.Greater, right);

    private Compare Build(EtcdPb.Compare.Types.CompareResult result, long value)
    {
        var message = new EtcdPb.Compare { Key = _key.Key, RangeEnd = _key.RangeEnd, Target = _target, Result = result };
        switch (_target)
        {
            case EtcdPb.Compare.Types.CompareTarget.Version: message.Version = value; break;
            case EtcdPb.Compare.Types.CompareTarget.Create: message.CreateRevision = value; break;
            case EtcdPb.Compare.Types.CompareTarget.Mod: message.ModRevision = value; break;
            case EtcdPb.Compare.Types.CompareTarget.Lease: message.Lease = value; break;
        }
        return new Compare(message);
    }
}

/// <summary>The left side of a value comparison; the right side is UTF-8 text or bytes.</summary>
public readonly struct CompareValueOperand
{
    private readonly KeyRange _key;

    internal CompareValueOperand(KeyRange key) => _key = key;

    public static Compare operator ==(CompareValueOperand left, string right) => left.Build(EtcdPb.Compare.Types.CompareResult.Equal, ByteString.CopyFromUtf8(right));
    public static Compare operator !=(CompareValueOperand left, string right) => left.Build(EtcdPb.Compare.Types.CompareResult.NotEqual, ByteString.CopyFromUtf8(right));
    public static Compare operator <(CompareValueOperand left, string right) => left.Build(EtcdPb.Compare.Types.CompareResult.Less, ByteString.CopyFromUtf8(right));
    public static Compare operator >(CompareValueOperand left, string right) => left.Build(EtcdPb.Compare.Types.CompareResult.Greater, ByteString.CopyFromUtf8(right));
    public static Compare operator ==(CompareValueOperand left, byte[] right) => left.Build(EtcdPb.Compare.Types.CompareResult.Equal, ByteString.CopyFrom(right));
    public static Compare operator !=(CompareValueOperand left, byte[] right) => left.Build(EtcdPb.Compare.Types.CompareResult.NotEqual, ByteString.CopyFrom(right));
    public static Compare operator <(CompareValueOperand left, byte[] right) => left.Build(EtcdPb.Compare.Types.CompareResult.Less, ByteString.CopyFrom(right));
    public static Compare operator >(CompareValueOperand left, byte[] right) => left.Build(EtcdPb.Compare.Types.CompareResult.Greater, ByteString.CopyFrom(right));

    private Compare Build(EtcdPb.Compare.Types.CompareResult result, ByteString value) =>
        new(new EtcdPb.Compare { Key = _key.Key, RangeEnd = _key.RangeEnd, Target = EtcdPb.Compare.Types.CompareTarget.Value, Result = result, Value = value });
}
#pragma warning restore CS0660, CS0661
