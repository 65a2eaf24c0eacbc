using System.Buffers.Binary;
using System.Text;
using Coordinator.Gateway;

namespace Coordinator.Silo.Hosting;

/// <summary>Replies of forwarded admin calls between members: 0 + response bytes, or 1 + status code + message.</summary>
internal static class AdminEnvelope
{
    public static byte[] Ok(byte[] response) => [0, .. response];

    public static byte[] Error(NodeException e)
    {
        var message = Encoding.UTF8.GetBytes(e.Message);
        var bytes = new byte[5 + message.Length];
        bytes[0] = 1;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), e.StatusCode);
        message.CopyTo(bytes, 5);
        return bytes;
    }

    public static byte[] Open(byte[] reply)
    {
        if (reply.Length == 0) throw new NodeException(13, "coordinator: empty reply from the leader");
        if (reply[0] == 0) return reply[1..];
        if (reply.Length < 5) throw new NodeException(13, "coordinator: malformed reply from the leader");
        throw new NodeException(BinaryPrimitives.ReadInt32LittleEndian(reply.AsSpan(1)), Encoding.UTF8.GetString(reply.AsSpan(5)));
    }
}
