using Coordinator.Grains.Store;
using Coordinator.Protocol.Internal;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;
using static Coordinator.Tests.Store.TestStore;

namespace Coordinator.Tests.Store;

public class RequestValidatorTests
{
    [Fact]
    public void OversizedProposalsAreRefusedWithEtcdsText()
    {
        var validator = RequestValidator.Default;
        var big = new RaftRequest { Put = new PutRequest { Key = B("k"), Value = ByteString.CopyFrom(new byte[1572864]) } };
        StoreAssert.Refused(() => validator.Validate(big), StatusCode.InvalidArgument, "etcdserver: request is too large");
        validator.Validate(new RaftRequest { Put = new PutRequest { Key = B("k"), Value = ByteString.CopyFrom(new byte[1572800]) } });
    }

    [Fact]
    public void LimitIsConfigurable()
    {
        var validator = new RequestValidator(new StoreOptions { MaxRequestBytes = 100 });
        StoreAssert.Refused(() => validator.ValidateSize(new PutRequest { Key = B("k"), Value = ByteString.CopyFrom(new byte[100]) }),
            StatusCode.InvalidArgument, "etcdserver: request is too large");
    }

    [Fact]
    public void ValidateDispatchesToEachCommand()
    {
        var v = RequestValidator.Default;
        StoreAssert.Refused(() => v.Validate(new RaftRequest { Range = new RangeRequest() }), StatusCode.InvalidArgument, "etcdserver: key is not provided");
        StoreAssert.Refused(() => v.Validate(new RaftRequest { DeleteRange = new DeleteRangeRequest() }), StatusCode.InvalidArgument, "etcdserver: key is not provided");
        StoreAssert.Refused(() => v.Validate(new RaftRequest { Put = new PutRequest { Key = B("k"), IgnoreLease = true, Lease = 1 } }),
            StatusCode.InvalidArgument, "etcdserver: lease is provided");
        StoreAssert.Refused(() => v.Validate(new RaftRequest { Txn = new TxnRequest { Success = { OpPut("a", "1"), OpPut("a", "1") } } }),
            StatusCode.InvalidArgument, "etcdserver: duplicate key given in txn request");
        v.Validate(new RaftRequest { Compaction = new CompactionRequest { Revision = 1 } });
    }

    [Fact]
    public void OtherEtcdErrorsHaveTheirCodes()
    {
        Assert.Equal((StatusCode.ResourceExhausted, "etcdserver: too many requests"), (StoreErrors.TooManyRequests().Code, StoreErrors.TooManyRequests().Message));
        Assert.Equal((StatusCode.ResourceExhausted, "etcdserver: mvcc: database space exceeded"), (StoreErrors.NoSpace().Code, StoreErrors.NoSpace().Message));
        Assert.Equal(8, (int)StatusCode.ResourceExhausted);
        Assert.Equal(9, (int)StatusCode.FailedPrecondition);
        Assert.Equal(11, (int)StatusCode.OutOfRange);
    }
}
