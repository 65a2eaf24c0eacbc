using System.Net;
using System.Net.Sockets;
using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Coordinator.Silo.Cluster;
using Coordinator.Silo.Configuration;
using Coordinator.Silo.Hosting;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace Coordinator.Silo.Tests;

/// <summary>Backups and snapshots written before the v2 store existed (members + store, no v2 section) still
/// restore: the v3 keys come back and the v2 store and v2 auth start empty and work.</summary>
public class OldSnapshotFormatTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_backup_without_a_v2_section_restores_and_serves_v2()
    {
        var root = Directory.CreateTempSubdirectory("coordinator-old-snapshot-").FullName;
        try
        {
            var store = new KvStore();
            store.Apply(new RaftRequest { Put = new PutRequest { Key = ByteString.CopyFromUtf8("v3-key"), Value = ByteString.CopyFromUtf8("kept") } }, 1);
            using var body = new MemoryStream();
            var members = new MemberTable().Encode();
            body.Write(BitConverter.GetBytes(members.Length));
            body.Write(members);
            store.WriteSnapshot(body); // the old layout ends here
            var file = Path.Combine(root, "old.snap");
            await File.WriteAllBytesAsync(file, BackupFile.Encode(1, body.ToArray()));

            int clientPort = FreePort(), peerPort = FreePort();
            var dataDir = Path.Combine(root, "a");
            string[] flags =
            [
                "--name", "a", "--data-dir", dataDir, "--initial-cluster", $"a=http://127.0.0.1:{peerPort}",
                "--initial-advertise-peer-urls", $"http://127.0.0.1:{peerPort}", "--listen-peer-urls", $"http://127.0.0.1:{peerPort}",
                "--listen-client-urls", $"http://127.0.0.1:{clientPort}", "--advertise-client-urls", $"http://127.0.0.1:{clientPort}",
            ];
            var output = new StringWriter();
            Assert.Equal(0, SnapshotCommand.Run(["restore", file, .. flags], output, output));

            var (_, config) = ConfigParser.Parse(flags, _ => null);
            await using var server = await CoordinatorServer.StartAsync(config!);
            Assert.Equal(2, server.Host.Store.CurrentRevision);
            using var http = new HttpClient();
            var url = $"http://127.0.0.1:{clientPort}/v2/keys";
            var deadline = DateTime.UtcNow.AddSeconds(20);
            HttpResponseMessage put;
            do put = await http.PutAsync(url + "/fresh", new FormUrlEncodedContent([new("value", "1")]));
            while (put.StatusCode != HttpStatusCode.Created && DateTime.UtcNow < deadline && await Task.Delay(100).ContinueWith(_ => true));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal("{\"action\":\"get\",\"node\":{\"key\":\"/fresh\",\"value\":\"1\",\"modifiedIndex\":1,\"createdIndex\":1}}\n",
                await http.GetStringAsync(url + "/fresh"));
            // No v2 auth section either: v2 auth starts empty and off, and works.
            var auth = $"http://127.0.0.1:{clientPort}/v2/auth";
            Assert.Equal("{\"enabled\":false}\n", await http.GetStringAsync(auth + "/enable"));
            Assert.Equal("{\"users\":null}\n", await http.GetStringAsync(auth + "/users"));
            var rootUser = await http.PutAsync(auth + "/users/root", new StringContent("{\"user\":\"root\",\"password\":\"pw\"}"));
            Assert.Equal((HttpStatusCode.Created, "{\"user\":\"root\",\"roles\":[\"root\"]}\n"), (rootUser.StatusCode, await rootUser.Content.ReadAsStringAsync()));
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch { }
        }
    }
}
