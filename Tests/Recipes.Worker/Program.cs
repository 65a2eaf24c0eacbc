// Worker process for Tests/Recipes.Tests. Prints one line per fact the test checks; exits 0 when done.
//   counter <endpoints> <lock> <counterKey> <count>  : count × {acquire; read counter; write counter+1; release},
//                                                      printing "token <fencing token> <counter value written>" per acquisition, then "done"
//   hold <endpoints> <lock> <ttlSeconds>              : acquire with its own session, print "acquired <key> <token>", wait to be killed
//   campaign <endpoints> <election> <value> <ttlSeconds>: campaign, print "leading <key>", wait to be killed
using Coordinator.Client;
using Coordinator.Recipes;

var endpoints = args[1].Split(',').ToList();
await using var client = new CoordinatorClient(new CoordinatorClientOptions { Endpoints = endpoints });
switch (args[0])
{
    case "counter":
    {
        var count = int.Parse(args[4]);
        // One session per worker process (like a service would): one lease grant, not one per acquisition.
        await using var session = await CoordinatorSession.CreateAsync(client, TimeSpan.FromSeconds(10));
        var mutex = new DistributedLock(client, args[2], new DistributedLockOptions { Session = session });
        for (var i = 0; i < count; i++)
        {
            await using var handle = await mutex.AcquireAsync();
            // Deliberately not atomic: only the lock keeps increments from being lost.
            var current = await client.GetAsync(args[3]);
            var value = current is null ? 0 : long.Parse(current.Value.ToStringUtf8());
            await client.PutAsync(args[3], (value + 1).ToString());
            Console.WriteLine($"token {handle.FencingToken} {value + 1}"); // the counter value orders acquisitions globally
        }
        Console.WriteLine("done");
        break;
    }
    case "hold":
    {
        var handle = await new DistributedLock(client, args[2], new DistributedLockOptions { TimeToLive = TimeSpan.FromSeconds(int.Parse(args[3])) }).AcquireAsync();
        Console.WriteLine($"acquired {handle.Key} {handle.FencingToken}");
        await Task.Delay(Timeout.Infinite);
        break;
    }
    case "campaign":
    {
        var election = new Election(client, args[2], new ElectionOptions { TimeToLive = TimeSpan.FromSeconds(int.Parse(args[4])) });
        var leadership = await election.CampaignAsync(args[3]);
        Console.WriteLine($"leading {leadership.Key}");
        await Task.Delay(Timeout.Infinite);
        break;
    }
    default:
        Console.Error.WriteLine("unknown mode " + args[0]);
        return 2;
}
return 0;
