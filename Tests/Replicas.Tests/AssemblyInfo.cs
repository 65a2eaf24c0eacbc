using Xunit;

// Every test starts its own 3-silo cluster on 2 cores. In parallel, the wrong-silo activation test failed once in
// six full runs (the forced activation was not refused: the call found an activation); it passed 8 of 8 alone and
// 4 of 4 full runs in sequence. Cause not pinned down; sequential runs keep the timing the tests were written for.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
