using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coordinator.Gateway.Auth;
using Xunit;

namespace Coordinator.Tests.Gateway;

/// <summary>With --client-cert-auth and no token, the verified client certificate's common name is the user
/// (etcd's AuthInfoFromTLS), at the current auth revision; not through the HTTP gateway.</summary>
public sealed class AuthGateTests
{
    private static X509Certificate2 Certificate(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
    }

    private static AuthGate Gate(FakeCoordinatorNode node) =>
        new(node, new SimpleTokenProvider(node, new AuthOptions()), new AuthOptions { ClientCertAuth = true });

    [Fact]
    public void The_common_name_is_the_user()
    {
        var node = new FakeCoordinatorNode();
        using var certificate = Certificate("CN=alice, O=example");
        var who = Gate(node).FromCertificate(certificate, viaGateway: false);
        Assert.Equal("alice", who!.Username);
        Assert.Equal(node.Store.Auth.Revision, who.AuthRevision);
    }

    [Fact]
    public void No_certificate_no_common_name_or_the_http_gateway_name_nobody()
    {
        var node = new FakeCoordinatorNode();
        var gate = Gate(node);
        Assert.Null(gate.FromCertificate(null, viaGateway: false));
        using var nameless = Certificate("O=example");
        Assert.Null(gate.FromCertificate(nameless, viaGateway: false));
        using var alice = Certificate("CN=alice");
        Assert.Null(gate.FromCertificate(alice, viaGateway: true));
    }
}
