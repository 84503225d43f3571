using System.Diagnostics;
using System.Text;
using RapidResponse.Domain.Import;

namespace RapidResponse.Bench;

/// <summary>The CSV reader alone (decode + parse) on the import bench's 50,000-row department list, median of 21 runs.</summary>
public static class CsvBench
{
    public static Task<int> RunAsync(string[] args)
    {
        var rows = args.SkipWhile(a => a != "--rows").Skip(1).Select(int.Parse).FirstOrDefault(50_000);
        var csv = new StringBuilder("department_code,id_number,household_no,warning_type,date,note\n");
        for (var i = 0; i < rows; i++)
            csv.Append(new[] { "WJ", "MZ", "JT" }[i % 3]).Append(',').Append(Seeder.IdNumberOf(i * 2L)).Append(",,自付医疗费超标,2026-10-31,\"备注，含逗号, 和\"\"引号\"\"\"\n");
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        for (var w = 0; w < 3; w++) Run(bytes);
        var times = new List<double>();
        for (var k = 0; k < 21; k++)
        {
            var t = Stopwatch.StartNew();
            Run(bytes);
            times.Add(t.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(Machine.Describe());
        Console.WriteLine("| reader | rows | CSV | median | fastest |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| CsvReader (CsvHelper) decode + parse | {rows:N0} | {bytes.Length / 1024:N0} KiB | {times[10]:F1} ms | {times[0]:F1} ms |");
        return Task.FromResult(0);
    }

    private static int Run(byte[] bytes) => CsvReader.Parse(CsvReader.Decode(bytes)).Count();
}
