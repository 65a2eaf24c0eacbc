using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Coordinator.Silo.Tls;

/// <summary>
/// The serial numbers an X.509 CRL (RFC 5280 §5, PEM or DER) revokes, as etcd's --client-crl-file/--peer-crl-file
/// use it: a connection is refused when any certificate the other side presents has a revoked serial. Like etcd,
/// the CRL's signature and dates are not checked (the operator's file is trusted as given).
/// </summary>
public sealed class RevocationList
{
    private readonly HashSet<string> _serials; // big-endian hex, no leading zero bytes

    private RevocationList(HashSet<string> serials) => _serials = serials;

    public int Count => _serials.Count;

    public static RevocationList Load(string path) => Parse(File.ReadAllBytes(path));

    public static RevocationList Parse(byte[] bytes)
    {
        var der = bytes;
        var text = Encoding.ASCII.GetString(bytes);
        if (text.Contains("-----BEGIN X509 CRL-----", StringComparison.Ordinal))
        {
            var fields = System.Security.Cryptography.PemEncoding.Find(text);
            der = Convert.FromBase64String(text[fields.Base64Data]);
        }
        var list = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = list.ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer)) tbs.ReadInteger(); // version
        tbs.ReadSequence();      // signature algorithm
        tbs.ReadSequence();      // issuer
        tbs.ReadEncodedValue();  // thisUpdate
        if (tbs.HasData && IsTime(tbs.PeekTag())) tbs.ReadEncodedValue(); // nextUpdate
        var serials = new HashSet<string>(StringComparer.Ordinal);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var revoked = tbs.ReadSequence();
            while (revoked.HasData)
            {
                var entry = revoked.ReadSequence();
                serials.Add(Normalize(entry.ReadIntegerBytes().Span));
            }
        }
        return new RevocationList(serials);
    }

    /// <summary>The first revoked certificate among <paramref name="certificates"/>, or null.</summary>
    public X509Certificate2? FindRevoked(IEnumerable<X509Certificate2> certificates) =>
        certificates.FirstOrDefault(c => _serials.Contains(Normalize(c.SerialNumberBytes.Span)));

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static string Normalize(ReadOnlySpan<byte> serial)
    {
        while (serial.Length > 1 && serial[0] == 0) serial = serial[1..];
        return Convert.ToHexString(serial);
    }
}
