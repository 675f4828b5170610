using System;
using System.IO;

namespace CSharpBpf.Linux.Maps;

/// <summary>Number of possible CPUs (the kernel sizes per-CPU values by it), from /sys/devices/system/cpu/possible.</summary>
public static class PossibleCpus
{
    private static readonly Lazy<int> LazyCount = new(() => Parse(File.ReadAllText("/sys/devices/system/cpu/possible")));

    public static int Count => LazyCount.Value;

    /// <summary>Parses a CPU list such as "0-3,5,7-8" and returns the highest CPU + 1.</summary>
    public static int Parse(string list)
    {
        int max = -1;
        foreach (var part in list.Trim().Split(','))
        {
            if (part.Length == 0) continue;
            var ends = part.Split('-');
            int hi = int.Parse(ends[ends.Length - 1], System.Globalization.CultureInfo.InvariantCulture);
            if (hi > max) max = hi;
        }
        if (max < 0) throw new FormatException($"no CPUs in possible-CPU list '{list}'");
        return max + 1;
    }
}
