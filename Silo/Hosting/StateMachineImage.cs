using System.Buffers.Binary;
using Coordinator.Grains.Store;
using Coordinator.Grains.Store.Auth;
using Coordinator.Grains.Store.Silos;
using Coordinator.Grains.Store.V2;
using Coordinator.Grains.Store.V2Auth;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The replicated state machine (member table + store + v2 store) captured on the replica loop at one applied
/// index, encodable on any thread afterwards. Layout: member table length (i32 LE), member table, store snapshot,
/// v2 store section (<see cref="V2StoreSnapshot"/>; older snapshots end after the store), auth store section
/// (<see cref="AuthStoreSnapshot"/>; older snapshots end after the v2 store), silo table section (<see cref="SiloTable"/>;
/// older snapshots end after the auth store), v2 auth store section (<see cref="V2AuthSnapshot"/>; older snapshots
/// end after the silo table). Immutable.
/// </summary>
internal sealed class StateMachineImage(byte[] members, StoreSnapshotImage store, V2StoreSnapshot.Image v2, AuthState auth, SiloTable.State silos, V2AuthState v2Auth)
{
    private readonly Lazy<byte[]> _v2 = new(v2.ToArray);
    private readonly Lazy<byte[]> _auth = new(() => AuthStoreSnapshot.Encode(auth));
    private readonly Lazy<byte[]> _silos = new(() => SiloTable.Encode(silos));
    private readonly Lazy<byte[]> _v2Auth = new(() => V2AuthSnapshot.Encode(v2Auth));

    public ulong AppliedIndex => store.Index;

    /// <summary>Bytes <see cref="WriteTo"/> writes (walks every record: call off the loop).</summary>
    public long EncodedLength() => 4 + members.Length + store.EncodedLength + _v2.Value.Length + _auth.Value.Length + _silos.Value.Length + _v2Auth.Value.Length;

    public void WriteTo(Stream destination)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, members.Length);
        destination.Write(length);
        destination.Write(members);
        store.WriteTo(destination);
        destination.Write(_v2.Value);
        destination.Write(_auth.Value);
        destination.Write(_silos.Value);
        destination.Write(_v2Auth.Value);
    }

    public byte[] ToArray()
    {
        using var buffer = new MemoryStream((int)Math.Min(EncodedLength(), Array.MaxLength));
        WriteTo(buffer);
        return buffer.ToArray();
    }
}
