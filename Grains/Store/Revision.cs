namespace Coordinator.Grains.Store;

/// <summary>
/// A point in the store's history: <see cref="Main"/> is bumped once per write transaction,
/// <see cref="Sub"/> orders the changes inside one transaction.
/// </summary>
public readonly record struct Revision(long Main, int Sub) : IComparable<Revision>
{
    public int CompareTo(Revision other)
    {
        var c = Main.CompareTo(other.Main);
        return c != 0 ? c : Sub.CompareTo(other.Sub);
    }

    public static bool operator <(Revision a, Revision b) => a.CompareTo(b) < 0;
    public static bool operator >(Revision a, Revision b) => a.CompareTo(b) > 0;
    public static bool operator <=(Revision a, Revision b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Revision a, Revision b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Main}.{Sub}";
}
