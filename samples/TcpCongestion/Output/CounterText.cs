using System.Linq;

namespace TcpCongestion.Output;

/// <summary>Counter values with their names: "init 1, cong_avoid 16638, …" (zero counters left out unless they name a callback).</summary>
public static class CounterText
{
    public static string Format(ulong[] counts, string[] names) =>
        string.Join(", ", counts.Select((c, i) => (Name: i < names.Length ? names[i] : $"slot {i}", Count: c, Index: i))
            .Where(x => x.Count != 0 || !x.Name.Contains(' ')) // callbacks always; states, events and unnamed slots when non-zero
            .Select(x => $"{x.Name} {x.Count}"));
}
