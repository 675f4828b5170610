using System.Collections.Generic;
using System.IO;
using CSharpBpf.TestSupport;

namespace CSharpBpf.Object.Tests.Fixtures;

/// <summary>The clang-built fixture objects in tests/fixtures and their committed expectations.</summary>
public static class FixtureFiles
{
    public static readonly string[] Names =
    {
        "tcp_csreno.bpf", "sockops_rtt.bpf", "maps_mix.bpf", "core_reads.bpf", "calls_globals.bpf", "legacy_maps.bpf",
        "externs_callbacks.bpf", "csreno_link.bpf",
    };

    /// <summary>xunit MemberData: one row per fixture.</summary>
    public static IEnumerable<object[]> All()
    {
        foreach (var n in Names) yield return new object[] { n };
    }

    public static string ObjectPath(string name) => RepoPaths.Fixture(name + ".o");

    public static byte[] Bytes(string name) => File.ReadAllBytes(ObjectPath(name));

    public static string Expected(string name, string kind) =>
        File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "expected", $"{name}.{kind}.txt"));

    public static string SourceLine(string name, uint line)
    {
        var lines = File.ReadAllLines(RepoPaths.Fixture(name + ".c"));
        return line >= 1 && line <= lines.Length ? lines[line - 1] : "";
    }
}
