using System.Text;

namespace Coordinator.Gateway.Grpc;

/// <summary>Percent-encoding of grpc-message: UTF-8 bytes outside printable ASCII, and '%', become %XX.</summary>
public static class GrpcMessageEncoding
{
    public static string Encode(string message)
    {
        if (message.All(c => c is >= ' ' and <= '~' and not '%')) return message;
        var builder = new StringBuilder(message.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= (byte)' ' and <= (byte)'~' and not (byte)'%') builder.Append((char)b);
            else builder.Append('%').Append(b.ToString("X2"));
        }
        return builder.ToString();
    }

    public static string Decode(string encoded)
    {
        if (!encoded.Contains('%')) return encoded;
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length
                && byte.TryParse(encoded.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else bytes.Add((byte)encoded[i]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
