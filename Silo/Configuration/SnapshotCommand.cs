using Coordinator.Grains.Raft;
using Coordinator.Grains.Store;
using Coordinator.Silo.Cluster;
using Coordinator.Silo.Hosting;
using Coordinator.Silo.Storage;

namespace Coordinator.Silo.Configuration;

/// <summary>
/// `coordinator snapshot restore FILE [etcd's restore flags]` builds a fresh data dir from a backup taken with
/// `etcdctl snapshot save` (like `etcdctl snapshot restore`), so a cluster can be rebuilt from it; every member
/// of the new cluster restores the same file with its own --name. `coordinator snapshot status FILE` prints
/// the backup's hash, revision, keys and size.
/// </summary>
public static class SnapshotCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            if (args.Length < 2 || args[0] is not ("restore" or "status"))
                throw new ConfigurationException("usage: coordinator snapshot restore FILE [--name --initial-cluster --initial-cluster-token --initial-advertise-peer-urls --data-dir] | coordinator snapshot status FILE");
            var path = args[1];
            if (!File.Exists(path)) throw new ConfigurationException($"snapshot file {path} does not exist");
            var (appliedIndex, stateMachine) = BackupFile.Decode(File.ReadAllBytes(path), path);
            var (storeBytes, _) = Split(stateMachine);
            var storeStream = new MemoryStream(storeBytes);
            var store = KvStore.FromSnapshot(storeStream);
            var v2Section = storeBytes[(int)storeStream.Position..]; // the v2 store, carried over as it is
            if (args[0] == "status")
            {
                var hash = store.HashKv(0);
                output.WriteLine($"hash: {hash.Hash:x8}, revision: {store.CurrentRevision}, total keys: {store.IndexedKeyCount}, " +
                                 $"total size: {new FileInfo(path).Length}, applied index: {appliedIndex}");
                return 0;
            }
            var (_, config) = ConfigParser.Parse(args[2..], _ => null);
            Restore(config!, store, v2Section);
            output.WriteLine($"restored snapshot {path} into {config!.DataDir} (revision {store.CurrentRevision}) for member {config.Name}");
            return 0;
        }
        catch (Exception e) when (e is ConfigurationException or InvalidDataException or IOException)
        {
            error.WriteLine("coordinator: " + e.Message);
            return 1;
        }
    }

    private static (byte[] Store, byte[] Members) Split(byte[] stateMachine)
    {
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(stateMachine);
        return (stateMachine[(4 + length)..], stateMachine[4..(4 + length)]);
    }

    /// <summary>The new cluster's log: its members as config entries 1..N, then a snapshot at N holding the
    /// backup's keys and v2 store (the old cluster's members are not carried over).</summary>
    private static void Restore(CoordinatorConfig config, KvStore store, byte[] v2Section)
    {
        if (Directory.Exists(config.DataDir) && Directory.EnumerateFileSystemEntries(config.DataDir).Any())
            throw new ConfigurationException($"data dir {config.DataDir} already exists and is not empty");
        Directory.CreateDirectory(config.DataDir);
        using var dataLock = DataDirLock.Acquire(config.DataDir);
        using var wal = WriteAheadLog.Open(new WalOptions { DataDir = config.DataDir });
        var (identity, _) = MemberBootstrap.Prepare(config with { NewCluster = true }, wal);
        var members = new MemberTable();
        var index = wal.LastIndex;
        foreach (var entry in wal.Entries(wal.FirstIndex, index + 1, long.MaxValue))
            members.Apply(ConfigChange.Decode(entry.Data.Span));
        store.RebaseAppliedIndex(index);
        using var buffer = new MemoryStream();
        var memberBytes = members.Encode();
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, memberBytes.Length);
        buffer.Write(length);
        buffer.Write(memberBytes);
        store.WriteSnapshot(buffer);
        buffer.Write(v2Section);
        var voters = Membership.OfVoters(members.All.Select(m => m.Id).ToArray());
        wal.CreateSnapshot(index, voters, buffer.ToArray());
        _ = identity;
    }
}
