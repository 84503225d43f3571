using System.Runtime.InteropServices;

namespace RapidResponse.Bench;

/// <summary>The line every command prints above its table.</summary>
public static class Machine
{
    public static string Describe()
    {
        var mem = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"machine: {Environment.ProcessorCount} cores, {mem:F0} GiB RAM, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}";
    }
}
