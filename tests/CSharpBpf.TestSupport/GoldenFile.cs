using System;
using System.IO;
using Xunit;

namespace CSharpBpf.TestSupport;

/// <summary>
/// Golden-file assertions (our stand-in for Verify, which the package registry here does not
/// serve). Goldens live in tests/golden/. Set CSHARPBPF_UPDATE_GOLDEN=1 to (re)write them;
/// a missing golden fails the test rather than passing silently.
/// </summary>
public static class GoldenFile
{
    public static string Directory => Path.Combine(RepoPaths.Root, "tests", "golden");

    public static void AssertMatches(string name, string actual)
    {
        string path = Path.Combine(Directory, name);
        string normalized = Normalize(actual);
        if (Environment.GetEnvironmentVariable("CSHARPBPF_UPDATE_GOLDEN") == "1")
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, normalized);
            return;
        }
        Assert.True(File.Exists(path), $"golden file {path} is missing; run with CSHARPBPF_UPDATE_GOLDEN=1 to create it");
        string expected = Normalize(File.ReadAllText(path));
        if (expected != normalized)
        {
            File.WriteAllText(path + ".received", normalized);
            Assert.Fail($"output differs from golden {path}; the received text is in {path}.received\n" + FirstDifference(expected, normalized));
        }
    }

    private static string Normalize(string s) => s.Replace("\r\n", "\n").TrimEnd() + "\n";

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end>";
            string al = i < a.Length ? a[i] : "<end>";
            if (el != al) return $"line {i + 1}:\n  expected: {el}\n  actual:   {al}";
        }
        return "";
    }
}
