using Coordinator.Bench.Workloads;

namespace Coordinator.Bench;

/// <summary>The --help text.</summary>
public static class Usage
{
    public static string Text =>
        """
        coordinator-bench: load generator for etcd v3 API servers (Coordinator or etcd).

          coordinator-bench <workload> --endpoints h:p[,h:p...] [options]
          coordinator-bench compare [compare options]
          coordinator-bench check-perf [check-perf options]
          coordinator-bench null-server --port P

        Workloads:
        """ + "\n" + string.Join("\n", WorkloadCatalog.Descriptions.Select(d => $"  {d.Key,-16} {d.Value}")) + "\n" +
        """

        Options:
          --clients N        concurrent callers (1)            --conns N        HTTP/2 connections (1)
          --total N          operations to measure             --duration T     else run this long (10s)
          --warmup T         unrecorded warm-up (1s)           --rate R         open loop: R ops/s, latency from schedule
          --key-size B (16)  --val-size B (256)  --key-space N (10000)  --prefix P (bench/)
          --consistency l|s  range consistency (l)             --read-ratio F   mixed: fraction of reads (0.9)
          --watchers N       watch-*: watchers, one stream each (16)
          --leases N         lease-keepalive: leases (1000)
          --lock-names N|clients  lock: 1 = contended (1)      --lock-via recipe|service (recipe)
          --json             machine-readable report          --progress false  no progress lines
          --cacert F         trust this CA, connect with https  --cert F --key F  client certificate
          --user name:pw     log in once per connection, send the token (v2 workloads: TLS only, no login)
        Durations: 10s, 500ms, 2m.

        Compare options (starts etcd and Coordinator with the same topology and alternates the same workloads):
          --members 1,3      topologies (1,3)                  --runs N         runs per row (3)
          --duration T (5s)  --warmup T (1s)                   --data-root DIR  (/tmp/coordinator-bench)
          --etcd PATH        (/usr/bin/etcd; apt-get install etcd-server when missing)
          --coordinator PATH (Silo/bin/Release/net10.0/coordinator; built when missing)
          --rows a,b,...     only these rows (see the table), --skip-memory, --skip-restart
          --load-keys N      keys of 1 KiB for the RSS measurement (100000)
          --restart-keys N   keys present for the restart measurement (same data as --load-keys by default)
          --json FILE        also write every raw report there
          --tls              both kinds serve clients over TLS with --client-cert-auth (certificates made under
                             DATA-ROOT/tls; peers stay plain)
          --auth             auth on in both kinds; rows run as a user with readwrite on bench/ (one login per
                             connection; the restart probe logs in too)

        check-perf (etcdctl check perf against fresh clusters and a null server, with the CPU each used):
          --load s|m|l|xl (l)  --targets null,coordinator,etcd  --members N (3)  --runs N (1)
          --burn F[,F...]    extra null-server runs with a thread keeping F of a core busy
          --etcdctl PATH     (/usr/bin/etcdctl; apt-get install etcd-client when missing)
          --etcd PATH, --coordinator PATH, --data-root DIR, --json FILE as for compare

        null-server: answers every unary etcd call at once with an empty response; stores nothing.
        """;
}
