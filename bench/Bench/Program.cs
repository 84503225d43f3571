using BenchmarkDotNet.Running;
using RapidResponse.Bench;

// dotnet run -c Release --project bench/Bench -- <command>   (see BENCHMARKS.md)
return args switch
{
    ["ingest", ..] => await Ingest.RunAsync(args[1..]),
    ["sweep", ..] => await SweepBench.RunAsync(args[1..]),
    ["import", ..] => await ImportBench.RunAsync(args[1..]),
    ["csv", ..] => await CsvBench.RunAsync(args[1..]),
    ["bulletin", ..] => await BulletinBench.RunAsync(args[1..]),
    ["console", ..] => await ConsoleBench.RunAsync(args[1..]),
    ["memory", ..] => await MemoryBench.RunAsync(args[1..]),
    ["fuzz", ..] => await FuzzBench.RunAsync(args[1..]),
    ["dispatch", ..] => await DispatchBench.RunAsync(args[1..]),
    ["micro", ..] => RunMicro(args[1..]),
    _ => Usage(),
};

static int RunMicro(string[] rest)
{
    BenchmarkSwitcher.FromAssembly(typeof(Ingest).Assembly).Run(rest);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Bench -- <ingest [--requests N] | sweep [--stages N] [--runs N] [--seed-cache FILE] [--warm-up] [--sql] | import [--rows N] | csv [--rows N] | bulletin | console [--requests N] [--seed-cache FILE] [--user ID] [--verify] | memory | fuzz [--inputs N] | dispatch [--window-seconds S] [--windows K] [--api-limit N] [Outbox__Key=value] | micro [BenchmarkDotNet args]>");
    return 2;
}
