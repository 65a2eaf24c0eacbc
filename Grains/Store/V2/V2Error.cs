namespace Coordinator.Grains.Store.V2;

/// <summary>A refusal of a v2 request: etcd's error code, its message, the cause (usually a key) and the
/// store index at the time. Raised before any change, so a refused write leaves the store untouched.</summary>
public sealed class V2Error(int code, string cause, ulong index) : Exception(V2ErrorCode.Message(code) + " (" + cause + ")")
{
    public int Code { get; } = code;
    public string Text => V2ErrorCode.Message(Code);
    public string Cause { get; } = cause;
    public ulong Index { get; } = index;
    public int HttpStatus => V2ErrorCode.HttpStatus(Code);
}
