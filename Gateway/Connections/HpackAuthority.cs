using System.Reflection;
using System.Text;

namespace Coordinator.Gateway.Connections;

/// <summary>
/// Rewrites the <c>:authority</c> fields of one HPACK header block (RFC 7541) whose value is a whole URL
/// (<c>http://host:port</c>, as etcdctl <c>--cluster</c> sends the client URLs a member list reports) to its
/// <c>host:port</c>, which is what HTTP/2 allows there and all Kestrel accepts. Every other representation is copied
/// byte for byte. The rewritten value is sent as a plain (non-Huffman) literal of the same kind, so a field the
/// client added to the dynamic table is added by Kestrel too, only shorter: entries are referenced from the
/// newest, so a decoder table that holds fewer bytes than the encoder's still resolves every index the same way.
/// </summary>
public static class HpackAuthority
{
    private const int AuthorityStaticIndex = 1;
    private static readonly byte[] AuthorityName = ":authority"u8.ToArray();

    private delegate int HuffmanDecoder(ReadOnlySpan<byte> source, ref byte[] destination);

    // HPACK's Huffman decoder ships inside System.Net.Http (internal): used rather than a second copy of RFC 7541's
    // table. Null if a future runtime moves it; URLs in :authority are then left as they are.
    private static readonly HuffmanDecoder? Huffman = FindHuffmanDecoder();

    /// <summary>Whether Huffman-coded values can be decoded on this runtime (plain literals always can).</summary>
    public static bool CanDecodeHuffman => Huffman is not null;

    /// <summary>The block with URL authorities replaced, or null when nothing had to change (or it does not parse:
    /// Kestrel then reports the error itself).</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> block)
    {
        List<byte>? output = null;
        var copiedUpTo = 0;
        var at = 0;
        while (at < block.Length)
        {
            var first = block[at];
            if ((first & 0x80) != 0)
            {
                if (!TryReadInteger(block, ref at, 7, out _)) return null; // indexed field
                continue;
            }
            if ((first & 0xE0) == 0x20)
            {
                if (!TryReadInteger(block, ref at, 5, out _)) return null; // dynamic table size update
                continue;
            }
            var prefixBits = (first & 0xC0) == 0x40 ? 6 : 4; // with incremental indexing, or without / never indexed
            if (!TryReadInteger(block, ref at, prefixBits, out var nameIndex)) return null;
            var isAuthority = nameIndex == AuthorityStaticIndex;
            if (nameIndex == 0)
            {
                if (!TryReadString(block, ref at, out var name, out var nameHuffman)) return null;
                isAuthority = !nameHuffman && name.SequenceEqual(AuthorityName);
            }
            var valueStart = at;
            if (!TryReadString(block, ref at, out var value, out var huffman)) return null;
            if (!isAuthority || HostPort(value, huffman) is not { } hostPort) continue;

            output ??= new List<byte>(block.Length);
            foreach (var b in block[copiedUpTo..valueStart]) output.Add(b);
            WriteInteger(output, 0x00, 7, hostPort.Length); // H = 0: a plain literal
            output.AddRange(hostPort);
            copiedUpTo = at;
        }
        if (output is null) return null;
        foreach (var b in block[copiedUpTo..]) output.Add(b);
        return output.ToArray();
    }

    /// <summary>"http://host:port[/...]" → "host:port"; null for anything that is not a URL.</summary>
    private static byte[]? HostPort(ReadOnlySpan<byte> encoded, bool huffman)
    {
        byte[] raw;
        if (huffman)
        {
            if (Huffman is null) return null;
            var buffer = new byte[encoded.Length * 8 / 5 + 1];
            int length;
            try
            {
                length = Huffman(encoded, ref buffer);
            }
            catch (Exception)
            {
                return null;
            }
            raw = buffer[..length];
        }
        else raw = encoded.ToArray();
        var text = Encoding.ASCII.GetString(raw);
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0) return null;
        var rest = text[(scheme + 3)..];
        var slash = rest.IndexOf('/');
        if (slash >= 0) rest = rest[..slash];
        return rest.Length == 0 ? null : Encoding.ASCII.GetBytes(rest);
    }

    // RFC 7541 §5.1: an N-bit prefix integer, continued in 7-bit groups.
    private static bool TryReadInteger(ReadOnlySpan<byte> block, ref int at, int prefixBits, out int value)
    {
        var mask = (1 << prefixBits) - 1;
        value = block[at++] & mask;
        if (value < mask) return true;
        var shift = 0;
        while (at < block.Length)
        {
            var b = block[at++];
            value += (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value >= 0;
            shift += 7;
            if (shift > 28) return false;
        }
        return false;
    }

    private static void WriteInteger(List<byte> output, byte flags, int prefixBits, int value)
    {
        var mask = (1 << prefixBits) - 1;
        if (value < mask)
        {
            output.Add((byte)(flags | value));
            return;
        }
        output.Add((byte)(flags | mask));
        value -= mask;
        while (value >= 0x80)
        {
            output.Add((byte)(value % 0x80 + 0x80));
            value /= 0x80;
        }
        output.Add((byte)value);
    }

    // RFC 7541 §5.2: H bit, 7-bit prefix length, then the octets.
    private static bool TryReadString(ReadOnlySpan<byte> block, ref int at, out ReadOnlySpan<byte> value, out bool huffman)
    {
        value = default;
        huffman = false;
        if (at >= block.Length) return false;
        huffman = (block[at] & 0x80) != 0;
        if (!TryReadInteger(block, ref at, 7, out var length) || length > block.Length - at) return false;
        value = block.Slice(at, length);
        at += length;
        return true;
    }

    private static HuffmanDecoder? FindHuffmanDecoder()
    {
        var method = typeof(HttpClient).Assembly.GetType("System.Net.Http.HPack.Huffman")
            ?.GetMethod("Decode", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic,
                [typeof(ReadOnlySpan<byte>), typeof(byte[]).MakeByRefType()]);
        return method is null ? null : (HuffmanDecoder?)Delegate.CreateDelegate(typeof(HuffmanDecoder), method, throwOnBindFailure: false);
    }
}
