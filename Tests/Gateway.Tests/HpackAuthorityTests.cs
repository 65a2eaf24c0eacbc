using System.Reflection;
using System.Text;
using Coordinator.Gateway.Connections;
using Xunit;

namespace Coordinator.Tests.Gateway;

public sealed class HpackAuthorityTests
{
    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>A string literal (RFC 7541 §5.2) for lengths below 127.</summary>
    private static byte[] Literal(byte[] octets, bool huffman) => [(byte)((huffman ? 0x80 : 0) | octets.Length), .. octets];

    /// <summary>Huffman-codes with the table Kestrel carries (test-only use of its internal encoder).</summary>
    private static byte[] Huffman(string text)
    {
        var encode = typeof(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions).Assembly
            .GetType("System.Net.Http.HPack.Huffman")!.GetMethod("Encode", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!;
        var bits = new List<bool>();
        foreach (var c in Ascii(text))
        {
            var (code, length) = ((uint, int))encode.Invoke(null, [(int)c])!;
            for (var i = 0; i < length; i++) bits.Add((code & (0x80000000u >> i)) != 0);
        }
        while (bits.Count % 8 != 0) bits.Add(true); // EOS padding
        return Enumerable.Range(0, bits.Count / 8)
            .Select(b => (byte)Enumerable.Range(0, 8).Aggregate(0, (acc, i) => acc << 1 | (bits[b * 8 + i] ? 1 : 0))).ToArray();
    }

    // :method POST (static 3), :scheme http (static 6), :path (static 4) literal "/etcdserverpb.KV/Range".
    private static readonly byte[] Before = [0x83, 0x86, 0x44, .. Literal(Ascii("/etcdserverpb.KV/Range"), false)];
    // te: trailers as a literal without indexing and a literal name.
    private static readonly byte[] After = [0x00, .. Literal(Ascii("te"), false), .. Literal(Ascii("trailers"), false)];

    [Theory]
    [InlineData(0x41)] // with incremental indexing, name :authority (static 1)
    [InlineData(0x01)] // without indexing
    [InlineData(0x11)] // never indexed
    public void A_url_authority_becomes_host_and_port_in_a_plain_literal_of_the_same_kind(byte representation)
    {
        byte[] block = [.. Before, representation, .. Literal(Ascii("http://127.0.0.1:2379"), false), .. After];
        var rewritten = HpackAuthority.Rewrite(block);
        Assert.Equal([.. Before, representation, .. Literal(Ascii("127.0.0.1:2379"), false), .. After], rewritten);
    }

    [Fact]
    public void A_huffman_coded_url_is_decoded_and_rewritten()
    {
        Assert.True(HpackAuthority.CanDecodeHuffman);
        byte[] block = [.. Before, 0x41, .. Literal(Huffman("http://127.0.0.1:2379"), true), .. After];
        Assert.Equal([.. Before, 0x41, .. Literal(Ascii("127.0.0.1:2379"), false), .. After], HpackAuthority.Rewrite(block));
    }

    [Fact]
    public void A_literal_authority_name_and_a_path_in_the_url_are_handled()
    {
        byte[] block = [0x40, .. Literal(Ascii(":authority"), false), .. Literal(Ascii("https://member-a:2379/"), false)];
        Assert.Equal([0x40, .. Literal(Ascii(":authority"), false), .. Literal(Ascii("member-a:2379"), false)], HpackAuthority.Rewrite(block));
    }

    [Fact]
    public void Blocks_without_a_url_authority_are_left_alone()
    {
        Assert.Null(HpackAuthority.Rewrite([.. Before, 0x41, .. Literal(Ascii("127.0.0.1:2379"), false), .. After]));
        Assert.Null(HpackAuthority.Rewrite([.. Before, 0x41, .. Literal(Huffman("127.0.0.1:2379"), true), .. After]));
        Assert.Null(HpackAuthority.Rewrite([.. Before, .. After]));
        // An indexed reference (here dynamic entry 62) is whatever the entry became when it was added.
        Assert.Null(HpackAuthority.Rewrite([0xBE, .. Before]));
    }

    [Fact]
    public void A_truncated_or_garbled_block_is_left_to_kestrel()
    {
        byte[] block = [.. Before, 0x41, .. Literal(Ascii("http://127.0.0.1:2379"), false)];
        // Every cut ends before the authority's value is complete: nothing to rewrite, and never an exception.
        for (var cut = 1; cut < block.Length; cut++) Assert.Null(HpackAuthority.Rewrite(block[..cut]));
        Assert.Null(HpackAuthority.Rewrite([0x41, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]));
    }
}
