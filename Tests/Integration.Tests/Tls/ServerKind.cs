namespace Coordinator.Tests.Integration.Tls;

/// <summary>Which server a differential test starts: ours or real etcd 3.4 (same flags).</summary>
public enum ServerKind { Coordinator, Etcd }
