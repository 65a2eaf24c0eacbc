using Coordinator.Silo.Cluster;
using Xunit;

namespace Coordinator.Tests.Silo;

public sealed class MemberIdsTests
{
    [Fact]
    public void MemberId_IsStable_AndDependsOnUrlsAndToken()
    {
        var a = MemberIds.MemberId([new Uri("http://127.0.0.1:2380")], "etcd-cluster");
        Assert.Equal(a, MemberIds.MemberId([new Uri("http://127.0.0.1:2380")], "etcd-cluster"));
        Assert.NotEqual(a, MemberIds.MemberId([new Uri("http://127.0.0.1:2381")], "etcd-cluster"));
        Assert.NotEqual(a, MemberIds.MemberId([new Uri("http://127.0.0.1:2380")], "other"));
        // URL order does not matter
        Assert.Equal(
            MemberIds.MemberId([new Uri("http://a:1"), new Uri("http://b:2")], "t"),
            MemberIds.MemberId([new Uri("http://b:2"), new Uri("http://a:1")], "t"));
    }

    [Fact]
    public void Ids_MatchEtcds_ForItsDefaultSingleMember()
    {
        // etcd started with no flags: member 8e9e05c52164694d of cluster cdf818194e3a8c32.
        var member = MemberIds.MemberId([new Uri("http://localhost:2380")], "etcd-cluster");
        Assert.Equal(0x8e9e05c52164694dUL, member);
        Assert.Equal(0xcdf818194e3a8c32UL, MemberIds.ClusterId([member]));
    }

    [Fact]
    public void ClusterId_DependsOnTheSetOfMembersOnly()
    {
        Assert.Equal(MemberIds.ClusterId([1, 2, 3]), MemberIds.ClusterId([3, 1, 2]));
        Assert.NotEqual(MemberIds.ClusterId([1, 2, 3]), MemberIds.ClusterId([1, 2]));
    }
}
