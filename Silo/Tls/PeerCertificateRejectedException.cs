using System.Security.Authentication;

namespace Coordinator.Silo.Tls;

/// <summary>A peer's server certificate failed our checks; the message is the reason.</summary>
public sealed class PeerCertificateRejectedException(string reason) : AuthenticationException(reason);
