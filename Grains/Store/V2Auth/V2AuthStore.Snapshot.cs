namespace Coordinator.Grains.Store.V2Auth;

public sealed partial class V2AuthStore
{
    /// <summary>Replaces the whole state with a snapshot section (none: empty and disabled). On a damaged section
    /// the state is untouched and InvalidDataException is thrown.</summary>
    public void Restore(Stream source) => _state = V2AuthSnapshot.Read(source);
}
