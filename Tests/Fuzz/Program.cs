using Coordinator.Fuzz;
using SharpFuzz;

// coordinator-fuzz <target>: runs one target under AFL++ (afl-fuzz feeds stdin; see README.md).
// coordinator-fuzz <target> <file>...: runs the target once on each file (a crash reproducer).
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var create))
{
    Console.Error.WriteLine($"usage: coordinator-fuzz <{string.Join("|", FuzzTargets.All.Keys)}> [input files]");
    return 2;
}
if (args.Length > 1)
{
    var once = create();
    foreach (var file in args.Skip(1)) once.Run(File.ReadAllBytes(file));
    return 0;
}
IFuzzTarget? target = null;
Fuzzer.OutOfProcess.Run(stream =>
{
    target ??= create();
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target.Run(buffer.ToArray());
});
return 0;
